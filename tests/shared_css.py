"""One parse of each stylesheet per test process, shared by every app the process builds.

Textual keeps the stylesheets it has parsed in each app's own `Stylesheet`, so every app
parses them all again: the app's files, and the `DEFAULT_CSS` of each widget class it
shows. One app per process (the real command) parses each once anyway; a test process
builds hundreds of apps, and the parsing came to 4% of the Pilot and snapshot tests' CPU.

The rules parsed from a stylesheet depend only on its text, where it was read from, how
it is ranked, its scope and the theme's variables, all of which make up the key here;
Textual does not change rules once parsed. Only a parse that succeeds is kept: one that
fails raises in every app, as before.
"""

from __future__ import annotations

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

_PARSED: dict[tuple, list[RuleSet]] = {}
"""Rules parsed, by everything they depend on."""


def share_parsed_stylesheets() -> None:
    """Make every `Stylesheet` in this process reuse rules any other has parsed from the same source."""
    if getattr(Stylesheet._parse_rules, "shared", False):
        return
    parse_alone = Stylesheet._parse_rules

    def parse_rules(self: Stylesheet, css: str, read_from, is_default_rules: bool = False, tie_breaker: int = 0,
                    scope: str = "") -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        rules = _PARSED.get(key)
        if rules is None:
            rules = _PARSED[key] = parse_alone(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    parse_rules.shared = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]
