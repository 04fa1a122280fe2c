"""The test processes' shared stylesheet parse (tests/shared_css.py) gives each app what its own parse would."""

from __future__ import annotations

import pytest
from textual.css.errors import StylesheetError
from textual.css.stylesheet import Stylesheet, StylesheetParseError

from tests.shared_css import share_parsed_stylesheets

CSS = "#banner { background: $success; color: $text; }"


def parsed(css: str, **variables: str) -> Stylesheet:
    sheet = Stylesheet(variables={"success": "green", "text": "white", **variables})
    sheet.add_source(css, read_from=("test.tcss", ""))
    sheet.parse()
    return sheet


def test_two_apps_share_the_rules_of_one_source_and_the_theme_changes_them():
    share_parsed_stylesheets()  # conftest has done it; twice changes nothing
    first, second = parsed(CSS), parsed(CSS)
    assert first.rules == second.rules and first.rules[0] is second.rules[0]  # parsed once
    other_theme = parsed(CSS, success="red")
    assert other_theme.rules[0] is not first.rules[0]
    assert other_theme.rules[0].styles.background != first.rules[0].styles.background


def test_css_in_error_still_fails_in_every_app():
    for _ in range(2):
        with pytest.raises((StylesheetError, StylesheetParseError)):
            parsed("#banner { background: not-a-colour; }")
