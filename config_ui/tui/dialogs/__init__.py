"""Dialogs: the diff before saving, unsaved changes on quit, a change on disk, a file that
does not load."""
