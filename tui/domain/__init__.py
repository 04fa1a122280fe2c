"""The domain layer: exercises, routines, sessions and the session engine.

Nothing here imports Textual or touches the disk; a test proves it.
"""
