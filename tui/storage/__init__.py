"""The storage layer: TinyDB files under the user's data dir. Never imports Textual."""
