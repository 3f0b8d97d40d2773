"""The YAML config file of an editor: read values, edit them, save byte for byte.

A :class:`ConfigDocument` keeps the user's text. An untouched document is
written back as exactly the bytes it was read from (line endings, missing
final newline, comments, quoting, non-ASCII text); an edit changes only the
text of what was edited (see :mod:`basalt.config.yaml_edit` for the layout
rules). After every edit the text is parsed again and must load as exactly
the intended data, otherwise the edit is undone and
:class:`~basalt.config.yaml_errors.InternalEditError` is raised: a wrong file
is never written.

The file holds a mapping of config keys, either at the root or under a single
root key ``USER_CONFIG:`` (the "wrapper"). Paths never mention the wrapper:
``PASSES.0.time_bucket_seconds`` is the same path in both forms.

Anchors and aliases load as YAML says. Editing a path whose value *is* an
alias (``key: *base``) replaces the alias by the new value, so only that
path changes. Editing inside an anchored value (``base: &base ...``), or
through an alias into it, edits the anchored text, so every alias of it sees
the change. An edit that would remove an anchor still in use is refused.

Known limits: merge keys (``<<``) and non-scalar keys are refused when
loading; a key containing ``.`` can only be reached with a tuple path; an
empty ``{}`` / ``[]`` in block context becomes a block when something is added
to it; in a compact nested list (``- - a``) a moved item is re-written rather
than carried over as text.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from basalt.atomic import write_bytes_atomic
from basalt.config.demo_files import file_problem
from basalt.config.yaml_edit import Editor
from basalt.config.yaml_emit import KeyOrder, Renderer
from basalt.config.yaml_errors import DocumentError, InternalEditError
from basalt.config.yaml_layout import RawPath
from basalt.config.yaml_model import (
    PathLike,
    as_path,
    format_path,
    model_delete,
    model_get,
    model_list,
    model_set,
    nest,
    normalize,
    parse_path,
    same_value,
)
from basalt.config.yaml_tree import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    construct,
    deref,
    max_config_bytes,
    size_error,
)

__all__ = [
    "MISSING",
    "ConfigDocument",
    "DocumentError",
    "InternalEditError",
    "KeyOrder",
    "format_path",
    "parse_path",
]

WRAPPER = "USER_CONFIG"
MISSING: Any = object()
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class ConfigDocument:
    """A YAML config file held as text, with comment-preserving edits.

    ``key_order(parent_path)`` (optional) gives the preferred order of the keys
    of the mapping at ``parent_path`` (a tuple, without the wrapper); new keys
    are inserted where that order puts them.
    """

    def __init__(
        self,
        text: str,
        path: str | Path | None = None,
        *,
        key_order: KeyOrder | None = None,
        wrapped: bool | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self._key_order = key_order
        self._editor = Editor(text, self.path, self._raw_key_order)
        self._original = text
        self._on_disk: str | None = None
        self.wrapped = self._detect_wrapper() if wrapped is None else wrapped

    # -- construction -------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path, *, key_order: KeyOrder | None = None) -> ConfigDocument:
        """Read a config file; :class:`DocumentError` if it is missing, unreadable or invalid."""
        path = Path(path)
        return cls.read_from(_read_text(path), path, key_order=key_order)

    @classmethod
    def read_from(
        cls, text: str, path: str | Path, *, key_order: KeyOrder | None = None
    ) -> ConfigDocument:
        """A document of ``text`` as just read from the file at ``path``: a later save checks
        that the file still holds it."""
        document = cls(text, path, key_order=key_order)
        document._on_disk = text
        return document

    @classmethod
    def loads(
        cls, text: str, path: str | Path | None = None, *, key_order: KeyOrder | None = None
    ) -> ConfigDocument:
        """A document from text; ``path`` is used in messages and by :meth:`save`."""
        return cls(text, path, key_order=key_order)

    @classmethod
    def new(
        cls, path: str | Path, *, wrapped: bool = True, key_order: KeyOrder | None = None
    ) -> ConfigDocument:
        """An empty document for a file that does not exist yet (``USER_CONFIG:`` when wrapped)."""
        document = cls(
            f"{WRAPPER}:\n" if wrapped else "", path, key_order=key_order, wrapped=wrapped
        )
        document._original = ""
        return document

    def _detect_wrapper(self) -> bool:
        root = self._editor.tree.root
        if root is None or _is_empty(root):
            return True
        if not isinstance(root, MappingNode):
            lines = self._editor.tree.lines
            kind = "list" if isinstance(root, SequenceNode) else "single value"
            raise DocumentError(
                f"the file must hold a mapping of config keys (KEY: value), not a {kind}",
                self.path,
                lines.line_of(root.start) + 1,
                lines.column_of(root.start) + 1,
            )
        if len(root.entries) != 1 or root.entries[0][0].value != WRAPPER:
            return False
        value = deref(root.entries[0][1])
        return isinstance(value, MappingNode) or (
            isinstance(value, ScalarNode) and value.value is None
        )

    def _raw_key_order(self, raw: RawPath) -> Sequence[str]:
        prefix = self._prefix
        if self._key_order is None or raw[: len(prefix)] != prefix:
            return []
        return self._key_order(raw[len(prefix) :])

    @property
    def _prefix(self) -> RawPath:
        return (WRAPPER,) if self.wrapped else ()

    # -- text state ----------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The current text."""
        return self._editor.text

    @property
    def original_text(self) -> str:
        """The text as loaded or last saved."""
        return self._original

    @property
    def dirty(self) -> bool:
        """True when the text differs from :attr:`original_text`."""
        return self.text != self._original

    def replace_text(self, text: str) -> None:
        """Make ``text`` the current text (undo and redo), keeping :attr:`original_text`
        and what is known of the file on disk; :class:`DocumentError` if it does not parse."""
        editor = Editor(text, self.path, self._raw_key_order)
        previous, self._editor = self._editor, editor
        try:
            self.wrapped = self._detect_wrapper() if text.strip() else self.wrapped
        except DocumentError:
            self._editor = previous
            raise

    def dumps(self) -> str:
        """The current text (identical to the loaded text until something is edited)."""
        return self.text

    def diff(self) -> str:
        """Unified diff from :attr:`original_text` to :attr:`text` (``a/<name>``, ``b/<name>``)."""
        name = self.path.name if self.path is not None else "config.yaml"
        lines = difflib.unified_diff(
            _LINES.findall(self._original), _LINES.findall(self.text), f"a/{name}", f"b/{name}"
        )
        out = []
        for line in lines:
            out.append(line)
            if not line.endswith(("\n", "\r")):
                out.append("\n\\ No newline at end of file\n")
        return "".join(out)

    # -- reading values ------------------------------------------------------------------

    def _config_node(self) -> Node | None:
        root = self._editor.tree.root
        if _is_empty(root):
            return None
        if self.wrapped:
            assert isinstance(root, MappingNode)
            return root.entries[0][1]
        return root

    def _node(self, path: RawPath) -> Node | None:
        if not path:
            return self._config_node()
        raw = self._prefix + path
        slots = self._editor.find(raw) if self._config_node() is not None else []
        return slots[-1].node if len(slots) == len(raw) else None

    def data(self) -> dict:
        """The config mapping as plain Python values (a fresh copy; dates as ``date``)."""
        node = self._config_node()
        value = construct(node) if node is not None else None
        return value if isinstance(value, dict) else {}

    def get(self, path: PathLike, default: Any = MISSING) -> Any:
        """The value at ``path``; ``KeyError`` when it is not in the file and no default is given."""
        parts = as_path(path)
        if not parts:
            return self.data()
        node = self._node(parts)
        if node is None:
            if default is MISSING:
                raise KeyError(format_path(parts))
            return default
        return construct(node)

    def has(self, path: PathLike) -> bool:
        """True when the file sets ``path``."""
        parts = as_path(path)
        return bool(parts) and self._node(parts) is not None

    def explicit_paths(self) -> set[str]:
        """Every key path and list item path set in the file, containers included."""
        found: set[str] = set()

        def walk(node: Node, path: tuple) -> None:
            node = deref(node)
            if isinstance(node, MappingNode):
                children = [(key.value, value) for key, value in node.entries]
            elif isinstance(node, SequenceNode):
                children = list(enumerate(node.items))
            else:
                return
            for segment, child in children:
                found.add(format_path((*path, segment)))
                walk(child, (*path, segment))

        config = self._config_node()
        if config is not None:
            walk(config, ())
        return found

    def location(self, path: PathLike) -> tuple[int, int] | None:
        """1-based (line, column) of the key (mapping entries) or the item (list items)."""
        parts = as_path(path)
        if not parts or self._config_node() is None:
            return None
        raw = self._prefix + parts
        slots = self._editor.find(raw)
        if len(slots) != len(raw):
            return None
        slot = slots[-1]
        if isinstance(slot.parent, MappingNode):
            offset = slot.parent.entries[slot.index][0].start
        elif slot.parent.flow:
            offset = slot.node.start
        else:
            offset = self._editor.dash(slot.parent, slot.index)
        lines = self._editor.tree.lines
        return lines.line_of(offset) + 1, lines.column_of(offset) + 1

    def nearest_location(self, path: PathLike) -> tuple[str, int, int] | None:
        """(path, line, column) of the deepest ancestor-or-self of ``path`` set in the file."""
        parts = as_path(path)
        for size in range(len(parts), 0, -1):
            found = self.location(parts[:size])
            if found is not None:
                return format_path(parts[:size]), found[0], found[1]
        return None

    # -- edits ---------------------------------------------------------------------------

    def set(self, path: PathLike, value: Any) -> bool:
        """Set ``path`` to ``value`` (missing parents are created); True if the text changed."""
        parts = _edit_path(path)
        value = normalize(value)
        expected = self.data()
        model_set(expected, parts, value)
        before = self.text
        self._edit(
            lambda: self._set(parts, value), expected, lambda: same_value(self.get(parts), value)
        )
        return self.text != before

    def _set(self, parts: RawPath, value: Any) -> None:
        if self._config_node() is not None:
            self._editor.set(self._prefix + parts, value)
            return
        editor = self._editor
        tree_value = nest(self._prefix + parts, value)
        lines = Renderer(editor.style, self._raw_key_order).block(tree_value, 0, ())
        text, eol = editor.text, editor.eol
        gap = eol if text and not text.endswith(("\n", "\r")) else ""
        editor.splice(len(text), len(text), gap + eol.join(lines) + eol)

    def delete(self, path: PathLike, *, prune_empty: bool = False) -> bool:
        """Remove ``path`` from the file (reset it to its default); False if it was not set.

        An emptied mapping is left as ``parent: {}``; with ``prune_empty`` the
        emptied parent keys are removed too.
        """
        parts = _edit_path(path)
        expected = self.data()
        if not model_delete(expected, parts, prune_empty):
            return False
        self._edit(lambda: self._delete(parts, prune_empty), expected, lambda: not self.has(parts))
        return True

    def _delete(self, parts: RawPath, prune_empty: bool) -> None:
        self._editor.delete(self._prefix + parts)
        parent = parts[:-1]
        while prune_empty and parent and isinstance(parent[-1], str):
            node = self._node(parent)
            if not isinstance(node, MappingNode) or node.entries:
                break
            self._editor.delete(self._prefix + parent)
            parent = parent[:-1]

    def insert(self, list_path: PathLike, index: int, value: Any) -> None:
        """Insert ``value`` at ``index`` of the list at ``list_path`` (created if missing)."""
        parts = _edit_path(list_path)
        value = normalize(value)
        expected = self.data()
        items = model_list(expected, parts, create=True)
        if not 0 <= index <= len(items):
            raise IndexError(f"{format_path(parts)}: list index {index} out of range")
        items.insert(index, value)
        self._edit_list(
            parts, expected, lambda raw: self._editor.insert_item(raw, index, value), create=[value]
        )

    def append(self, list_path: PathLike, value: Any) -> None:
        """Add ``value`` at the end of the list at ``list_path`` (created if missing)."""
        current = self.get(list_path, None)
        self.insert(list_path, len(current) if isinstance(current, list) else 0, value)

    def remove(self, list_path: PathLike, index: int) -> None:
        """Remove item ``index`` of the list at ``list_path``."""
        parts = _edit_path(list_path)
        expected = self.data()
        items = model_list(expected, parts, create=False)
        _check_index(parts, index, len(items))
        del items[index]
        self._edit_list(parts, expected, lambda raw: self._editor.remove_item(raw, index))

    def move(self, list_path: PathLike, src: int, dst: int) -> None:
        """Move item ``src`` of the list at ``list_path`` so that it ends at index ``dst``."""
        parts = _edit_path(list_path)
        expected = self.data()
        items = model_list(expected, parts, create=False)
        _check_index(parts, src, len(items))
        _check_index(parts, dst, len(items))
        if src == dst:
            return
        items.insert(dst, items.pop(src))
        self._edit_list(parts, expected, lambda raw: self._editor.move_item(raw, src, dst))

    def _edit_list(
        self,
        parts: RawPath,
        expected: dict,
        run: Callable[[RawPath], None],
        create: list | None = None,
    ) -> None:
        want = model_get(expected, parts)

        def apply() -> None:
            if create is not None and not isinstance(self.get(parts, None), list):
                self._set(parts, create)
            else:
                run(self._prefix + parts)

        self._edit(apply, expected, lambda: same_value(self.get(parts), want))

    def _edit(self, run: Callable[[], None], expected: dict, check: Callable[[], bool]) -> None:
        """Run an edit; undo it unless the new text loads as ``expected``."""
        editor = self._editor
        saved, had_aliases = editor.text, editor.tree.has_aliases
        try:
            run()
            aliases = had_aliases or editor.tree.has_aliases
            ok = check() if aliases else same_value(self.data(), expected)
        except DocumentError as exc:
            editor.load(saved)
            if "undefined alias" in exc.message:
                raise DocumentError(
                    f"cannot make this edit: it removes an anchor that is still used ({exc.message})",
                    self.path,
                ) from None
            raise InternalEditError(
                f"the edit produced invalid YAML ({exc}); nothing was changed"
            ) from exc
        except BaseException:
            editor.load(saved)
            raise
        if not ok:
            editor.load(saved)
            raise InternalEditError("the edited text did not load as intended; nothing was changed")

    # -- files ---------------------------------------------------------------------------

    def save(self, path: str | Path | None = None) -> None:
        """Write the text atomically to ``path`` (default: :attr:`path`) and make it the original.

        A symbolic link, a hard link with other names or a special file there is refused
        (:class:`DocumentError`); nothing is ever written through a link.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("this document has no file path; pass one to save()")
        _write_text(target, self.text)
        self.path = target
        self._original = self._on_disk = self.text

    def disk_changed(self) -> bool:
        """True when the file on disk no longer holds the text loaded or last saved."""
        if self.path is None:
            return False
        try:
            on_disk = self.path.read_bytes()
        except FileNotFoundError:
            return self._on_disk is not None
        except OSError:
            return True
        return self._on_disk is None or on_disk != self._on_disk.encode("utf-8")


def _is_empty(root: Node | None) -> bool:
    """An empty document: no node at all, or an empty null scalar (a lone ``---``)."""
    return root is None or (
        isinstance(root, ScalarNode) and root.value is None and root.start == root.end
    )


def _edit_path(path: PathLike) -> RawPath:
    parts = as_path(path)
    if not parts:
        raise ValueError("an edit needs a path below the document root")
    return parts


def _check_index(parts: RawPath, index: int, size: int) -> None:
    if not 0 <= index < size:
        raise IndexError(f"{format_path(parts)}: list index {index} out of range")


def _read_text(path: Path) -> str:
    """The file's text; refused unread when it is over the size limit or not a regular file.

    It is opened without blocking (a FIFO with no writer would wait forever) and never read
    past the limit (``/dev/zero`` or a file still growing would fill the memory).
    """
    try:
        data = read_capped(path)
    except FileNotFoundError:
        raise DocumentError("file not found", path) from None
    except PermissionError:
        raise DocumentError("cannot read: permission denied", path) from None
    except IsADirectoryError:
        raise DocumentError("is a folder, not a file", path) from None
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}", path) from None
    if b"\x00" in data:
        raise DocumentError("not a UTF-8 text file (it holds binary data)", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError("not a UTF-8 text file", path, *_position(data, exc.start)) from None


def _position(data: bytes, index: int) -> tuple[int, int]:
    """1-based (line, column in characters) of byte ``index``."""
    text = data[:index].decode("utf-8", errors="replace")
    return text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1


def read_capped(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default: the config size
    limit); :class:`DocumentError` otherwise, ``OSError`` when it cannot be read.

    Checked before opening (opening a device can have effects) and again on the open file
    (the name may have been swapped in between).
    """
    limit = max_config_bytes(path) if limit is None else limit
    _check_regular(path, os.stat(path), limit)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        _check_regular(path, os.fstat(fd), limit)
        chunks, left = [], limit + 1  # one byte more tells a file that grew since fstat
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    if left <= 0:
        raise size_error(None, limit, path)
    return b"".join(chunks)


def _check_regular(path: Path, info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(
            "not a regular file (a device, FIFO or socket cannot be a config file)", path, 1, 1
        )
    if info.st_size > limit:
        raise size_error(info.st_size, limit, path)


def _write_text(path: Path, text: str) -> None:
    """Write atomically, replacing the file's own name (a link is never written through); a
    refusal leaves the old file as it was and no temporary file."""
    problem = file_problem(path)
    if problem is not None:
        raise DocumentError(problem, path)
    if os.path.lexists(path) and not os.access(path, os.W_OK, follow_symlinks=False):
        raise DocumentError("cannot write: permission denied", path)
    try:
        write_bytes_atomic(path, text.encode("utf-8"))
    except PermissionError:
        raise DocumentError("cannot write: permission denied", path) from None
    except FileNotFoundError:
        raise DocumentError("cannot write: the folder does not exist", path) from None
    except OSError as exc:
        raise DocumentError(f"cannot write: {exc.strerror or exc}", path) from None
