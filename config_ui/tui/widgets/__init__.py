"""The editor's frame: navigation, help panel, status line."""
