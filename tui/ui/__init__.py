"""The UI layer: the Textual app, its screens and widgets."""
