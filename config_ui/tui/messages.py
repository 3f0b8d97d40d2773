"""Messages the field widgets send when the user did something; the editor screen answers
each one with a session operation.

Fields post them to their screen directly (see :meth:`NodeWidget.emit`), so an edit is not
lost when its widget is removed before the message bubbles up.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message


class ValueEntered(Message):
    """A value that parsed was entered at ``path`` (``None``: explicitly unset)."""

    def __init__(self, path: str, value: Any) -> None:
        super().__init__()
        self.path = path
        self.value = value


class ResetRequested(Message):
    """The user asked to reset ``path`` to its default (the key leaves the YAML)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


class VariantChosen(Message):
    """A union at ``path`` was switched to ``variant``."""

    def __init__(self, path: str, variant: str) -> None:
        super().__init__()
        self.path = path
        self.variant = variant


class ItemAdded(Message):
    """The user asked for a new item at the end of the list at ``list_path``."""

    def __init__(self, list_path: str) -> None:
        super().__init__()
        self.list_path = list_path


class ItemDuplicated(Message):
    def __init__(self, list_path: str, index: int) -> None:
        super().__init__()
        self.list_path = list_path
        self.index = index


class ItemRemoved(Message):
    def __init__(self, list_path: str, index: int) -> None:
        super().__init__()
        self.list_path = list_path
        self.index = index


class ItemMoved(Message):
    def __init__(self, list_path: str, index: int, to: int) -> None:
        super().__init__()
        self.list_path = list_path
        self.index = index
        self.to = to


class EntryAdded(Message):
    """A key/value row was added to the dict at ``dict_path``."""

    def __init__(self, dict_path: str, key: str, value: Any) -> None:
        super().__init__()
        self.dict_path = dict_path
        self.key = key
        self.value = value


class EntryRemoved(Message):
    def __init__(self, dict_path: str, key: str) -> None:
        super().__init__()
        self.dict_path = dict_path
        self.key = key


class PassOpened(Message):
    """The user wants the editor of pass ``index``."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class InputRejected(Message):
    """Text at ``path`` did not parse (``message``), or parses again (``message`` None)."""

    def __init__(self, path: str, message: str | None) -> None:
        super().__init__()
        self.path = path
        self.message = message
