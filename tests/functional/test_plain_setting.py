"""The settings screen's plain-mode switch: what `start` then runs by default."""

from __future__ import annotations

from tests.functional.test_settings import SIZE, open_settings, toggle


async def test_the_plain_mode_switch_is_saved_and_turned_off_again(make_test_app, store):
    assert store.settings.load().plain_mode is False
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        await toggle(pilot, "plain_mode")
        assert store.settings.load().plain_mode is True
        await toggle(pilot, "plain_mode")
    assert store.settings.load().plain_mode is False
