"""The window sizes the app adapts to (no Textual here: the app reads them before anything is drawn)."""

MIN_WIDTH = 40
"""Narrowest usable terminal: below it, TooSmall covers everything."""
MIN_HEIGHT = 12
"""Shortest usable terminal."""
SHORT_WINDOW = 18
"""Below this many lines a dialog drops its padding (its screen gets the `-short` class) to leave room to read."""
