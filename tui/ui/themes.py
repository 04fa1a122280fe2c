"""Themes the app adds to Textual's own: a high-contrast one for low vision and glare."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFB000",
    error="#FF6060",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    text_alpha=1.0,
    # Textual fades muted and disabled text to 60% and 38%: keep everything at full strength.
    variables={
        "text": "#FFFFFF",
        "text-muted": "#FFFFFF",
        "text-disabled": "#C0C0C0",
        "foreground-muted": "#FFFFFF",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "block-cursor-blurred-foreground": "#000000",
        "block-cursor-blurred-background": "#C0C0C0",
        "border-blurred": "#FFFFFF",
        "footer-background": "#000000",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "input-selection-background": "#00FFFF 50%",
        "scrollbar": "#FFFFFF",
        "scrollbar-background": "#000000",
    },
)
"""White on black with yellow highlights: every text at full strength, no faded greys."""

THEMES = (HIGH_CONTRAST,)
"""Themes registered with the app on start-up, besides Textual's own."""
