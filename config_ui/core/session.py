"""An editing session on one demo config: the operations both editors share.

Every renderer action goes through here: set, reset to default, list and dict edits,
switching a union's variant, undo and redo, validation, save (with the diff first), reload,
and the answer to a change on disk. After each operation the form (:attr:`root`) is rebuilt
from the document, so both front ends always show the same state.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from basalt.config.analytics import AnalyticsConfig
from basalt.config.demo_files import UnsafeDemoFile, check_demo_pair
from basalt.config.demo_source import DemoError
from basalt.config.document import ConfigDocument, DocumentError, parse_path, read_capped
from basalt.config.modules.base import BUILTINS, ModuleScope
from basalt.config.resolve import (
    ResolvedConfig,
    load_document,
    new_document,
    resolve,
    schema_key_order,
    set_in_yaml,
    set_path,
)
from basalt.config.validation import ConfigIssue, locate, validate_data, validate_resolved
from config_ui.core.field_input import InputError, parse_text
from config_ui.core.form_builder import build_form, plain
from config_ui.core.locate import next_error
from config_ui.core.nodes import FieldNode
from config_ui.core.pass_helpers import (
    ModuleInfo,
    PassCard,
    column_docs,
    module_input_choices,
    modules_by_tier,
    pass_cards,
    pass_columns,
)

NEW_FILE_HEADER = (
    "# Overrides of USER_CONFIG in {script}; keys not set here keep the script's value.\n"
)


class SaveConflict(RuntimeError):
    """The file changed on disk since it was loaded; the user must choose."""


class ReadOnlyError(RuntimeError):
    """The file cannot be written; the session is read-only."""


class InvalidConfig(ValueError):
    """The config has errors: a save needs ``allow_errors=True`` (``basalt config set --force``)."""

    def __init__(self, issues: list[ConfigIssue]) -> None:
        self.issues = issues
        count = len(issues)
        super().__init__(f"not saved: the config has {count} error{'s' if count != 1 else ''}")


@dataclass(frozen=True)
class ShownError:
    """One error as the editors show it: the field's path and the message."""

    path: str
    message: str


@dataclass
class _Snapshot:
    text: str
    stash: dict[str, dict[str, Any]]
    touched: set[str]


@dataclass
class ExternalChange:
    """What happened when the file changed on disk, and what the editors show for it.

    - ``reloaded``: the session had no unsaved edits (or asked to reload once the file was
      fixed) and took the new text.
    - ``conflict``: unsaved edits; the user chooses keep mine (``save(overwrite=True)``),
      take theirs (``take_theirs(theirs)``), or reads ``diff`` (disk text to editor text).
    - ``error``: the new text does not parse (``FILE:LINE:COL: message``); the session keeps
      what it has and :attr:`EditorSession.disk_problem` holds the banner until it is fixed.
    - ``fixed``: the file parses again after an ``error``.
    """

    reloaded: bool
    conflict: bool
    diff: str = ""
    error: str = ""
    theirs: str | None = None
    fixed: bool = False


KEEP_EDITS = "keep"
RELOAD_WHEN_FIXED = "reload-when-fixed"


@dataclass
class DiskProblem:
    """The file on disk does not parse: what the banner says and the choice it offers."""

    error: str  # FILE:LINE:COL: message
    reload_when_fixed: bool = False  # the user chose to drop their edits once it is fixed
    kept: bool = False  # the user chose to keep their edits (saving writes over the file)

    @property
    def message(self) -> str:
        if self.reload_when_fixed:
            return f"{self.error}  (reloads when the file is fixed)"
        if self.kept:
            return f"{self.error}  (your edits are kept; saving writes over the file)"
        return self.error

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(choice, button label); empty once the user has chosen."""
        if self.reload_when_fixed or self.kept:
            return []
        return [(KEEP_EDITS, "Keep my edits"), (RELOAD_WHEN_FIXED, "Reload when fixed")]


@dataclass
class EditorSession:
    """Open with :meth:`open`; read :attr:`root` for the form, call the operations to edit."""

    script: Path | None
    document: ConfigDocument
    read_only: bool = False
    touched: set[str] = field(default_factory=set)
    show_all_errors: bool = False
    stash: dict[str, dict[str, Any]] = field(default_factory=dict)
    undo_stack: list[_Snapshot] = field(default_factory=list)
    redo_stack: list[_Snapshot] = field(default_factory=list)
    resolved: ResolvedConfig | None = None
    config: AnalyticsConfig | None = None
    issues: list[ConfigIssue] = field(default_factory=list)
    root: FieldNode | None = None
    revealed_at_load: set[str] = field(default_factory=set)
    disk_problem: DiskProblem | None = None
    drafts: dict[str, str] = field(default_factory=dict)
    draft_messages: dict[str, str] = field(default_factory=dict)

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path) -> EditorSession:
        """Open a demo by its ``.py`` or ``.yaml``; a missing YAML is created beside the script.

        Raises :class:`DocumentError` (YAML that does not parse; :class:`UnsafeDemoFile` when
        the script or the YAML is a link or not a regular file) or :class:`DemoError`.
        """
        script, yaml_path = check_demo_pair(path)
        if not yaml_path.exists():
            document = new_document(yaml_path)
            header = NEW_FILE_HEADER.format(script=script.name if script else "the demo script")
            document.replace_text(header + document.text)
            if os.access(yaml_path.parent, os.W_OK):
                document.save()
        else:
            document = load_document(yaml_path)
        session = cls(script, document, read_only=not _writable(yaml_path))
        session.refresh()
        session.revealed_at_load = {i.path for i in session.issues}
        session.refresh()
        return session

    @property
    def path(self) -> Path:
        assert self.document.path is not None
        return self.document.path

    @property
    def dirty(self) -> bool:
        return self.document.dirty

    @property
    def modules(self) -> ModuleScope:
        """The modules this demo may use: the built-ins and its script's own (no other demo's)."""
        return self.resolved.modules if self.resolved is not None else BUILTINS

    # -- the form -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-resolve, re-validate and rebuild the form from the document."""
        source = self.script or self.path
        self.resolved = resolve(source, document=self.document)
        self.config, self.issues = validate_resolved(self.resolved)
        if self.issues:
            self.issues += cross_field_issues(self.resolved, self.issues)
        self.root = build_form(
            AnalyticsConfig, self.resolved.data, self.resolved.origin, self.resolved.modules
        )
        for issue in self.issues:
            if self.is_revealed(issue.path) or self.names_touched(issue.message):
                self.node_for(issue.path).errors.append(issue.message)
        self._keep_drafts()

    def is_revealed(self, path: str) -> bool:
        """Errors show on touched fields, all of them after a save attempt, and those the
        file already had when it was opened."""
        if self.show_all_errors or path in self.revealed_at_load:
            return True
        return any(_related(path, t) for t in self.touched)

    def names_touched(self, message: str) -> bool:
        """A cross-field rule names the other field (``END_DATE ... is before START_DATE``):
        editing that field shows the error too."""
        return any(re.search(rf"(?<![\w.]){re.escape(t)}(?![\w.])", message) for t in self.touched)

    def node_for(self, path: str) -> FieldNode:
        """The node at ``path``, or its nearest existing container."""
        assert self.root is not None
        parts = path.split(".") if path else []
        while parts:
            node = self.root.find(".".join(parts))
            if node is not None:
                return node
            parts.pop()
        return self.root

    def visible_errors(self) -> list[tuple[str, str]]:
        """(node path, message) of every error currently shown, in form order."""
        assert self.root is not None
        return [(n.path, e) for n in self.root.walk() for e in n.errors]

    def errors(self, pending: Mapping[str, str] | None = None) -> list[ShownError]:
        """Every error shown now, in form order: the form's, plus ``pending`` (path: message of
        text typed in a field that was not applied). The header counts these; so does the
        save dialog."""
        shown = [ShownError(p, m) for p, m in self.visible_errors()]
        pending = {**self.draft_messages, **(pending or {})}
        if pending:
            order = {n.path: i for i, n in enumerate(self.root.walk())} if self.root else {}
            shown += [ShownError(p, m) for p, m in pending.items()]
            shown.sort(key=lambda e: order.get(e.path, len(order)))
        return shown

    def next_error(self, after: str | None = None, typed: Iterable[str] = ()) -> str | None:
        """Path of the next field with an error after ``after`` (any path; wrapping), or None.
        ``typed``: paths whose typed text does not parse (they count as errors too)."""
        assert self.root is not None
        paths = [p for p, _ in self.visible_errors()] + [*self.draft_messages, *typed]
        return next_error(self.root, paths, after)

    # -- drafts: text typed in a field that does not parse yet --------------------------------

    def set_draft(self, path: str, text: str) -> str | None:
        """Keep ``text`` typed at ``path`` as a draft when it does not parse: it counts as an
        error (:meth:`errors`, :meth:`next_error`) until fixed or reverted. Returns its
        message, or None (and no draft) when the text parses."""
        node = self.node_for(path)
        try:
            parse_text(node, text)
        except InputError as exc:
            self.drafts[path] = text
            self.draft_messages[path] = str(exc)
            return str(exc)
        self.clear_draft(path)
        return None

    def check(self, path: str, value: Any) -> list[str]:
        """The errors the field at ``path`` would show with ``value``, found without applying
        it: the config is validated with that one value in place (``None``: unset), and the
        document, the form and undo stay as they are. The editors show these as you type."""
        assert self.resolved is not None
        data = copy.deepcopy(self.resolved.data)
        if value is None:
            _drop(data, path)
        else:
            set_path(data, path, plain(value))
        _config, issues = validate_data(data, self.resolved.modules)
        if issues:
            issues += cross_field_issues(self.resolved, issues, data)
        return [
            i.message
            for i in issues
            if i.path.startswith(f"{path}.") or self.node_for(i.path).path == path
        ]

    def clear_draft(self, path: str) -> None:
        self.drafts.pop(path, None)
        self.draft_messages.pop(path, None)

    def clear_drafts(self) -> None:
        self.drafts.clear()
        self.draft_messages.clear()

    def _keep_drafts(self) -> None:
        """After a rebuild: drop the drafts of fields that are gone."""
        for path in list(self.drafts):
            if self.root is None or self.root.find(path) is None:
                self.clear_draft(path)

    def search(self, query: str) -> list[FieldNode]:
        """Leaf fields whose path, label, description (short or long) or choices contain
        ``query`` ("vwap" finds the measures that offer VWAP)."""
        assert self.root is not None
        q = query.lower().strip()
        return [
            n for n in self.root.walk() if n.path and not n.is_container and q in _searchable(n)
        ]

    # -- what the home view and the pass editor show ----------------------------------------

    def raw_passes(self) -> list[Any]:
        value = self.value("PASSES")
        return value if isinstance(value, list) else []

    def pass_cards(self) -> list[PassCard]:
        counts: dict[int, int] = {}
        for issue in self.issues:
            parts = issue.path.split(".")
            if len(parts) > 1 and parts[0] == "PASSES" and parts[1].isdigit():
                counts[int(parts[1])] = counts.get(int(parts[1]), 0) + 1
        return pass_cards(self.raw_passes(), counts, self.modules)

    def pass_columns(self, index: int) -> list[str]:
        """The exact columns pass ``index`` will produce with its current settings."""
        passes = self.raw_passes()
        if not 0 <= index < len(passes):
            return []
        name = passes[index].get("name") if isinstance(passes[index], dict) else None
        return pass_columns(passes, self.modules).get(str(name), []) if name else []

    def column_docs(self, columns: list[str]) -> dict[str, str]:
        """One-line docs of output columns, this demo's own modules' included."""
        return column_docs(columns, self.modules)

    def modules_by_tier(self) -> dict[str, list[ModuleInfo]]:
        """The modules this demo may use, by tier (what the module pickers list)."""
        return modules_by_tier(self.modules)

    def module_input_choices(self, index: int) -> list[str]:
        return module_input_choices(self.raw_passes(), index)

    # -- editing --------------------------------------------------------------------------

    def _edit(self, touched: str, change) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is read-only")
        before = _Snapshot(self.document.text, copy.deepcopy(self.stash), set(self.touched))
        change()
        if self.document.text != before.text or self.stash != before.stash:
            self.undo_stack.append(before)
            self.redo_stack.clear()
        self.touched.add(touched)
        self.clear_draft(touched)
        self.refresh()

    def set(self, path: str, value: Any) -> None:
        """Set a value in the YAML; ``None`` unsets it (see :meth:`reset`): ``null`` is written
        only by :meth:`set_null`."""
        if value is None:
            self.reset(path)
            return
        assert self.resolved is not None
        resolved = self.resolved
        self._edit(path, lambda: set_in_yaml(self.document, resolved, path, plain(value)))

    def set_null(self, path: str) -> None:
        """Write ``null`` at ``path``: the explicit "None" choice of an optional field."""
        node = self.node_for(path)
        if node.path != path or not node.nullable:
            raise InputError(f"{path} cannot be None")
        assert self.resolved is not None
        resolved = self.resolved
        self._edit(path, lambda: set_in_yaml(self.document, resolved, path, None))

    def reset(self, path: str) -> None:
        """Unset, back to the default: the key leaves the YAML (the script's value, if any,
        shows). A row of a key/value field that comes from the script is removed instead
        (see :meth:`remove_entry`)."""
        parent_path, _, key = path.rpartition(".")
        parent = self.node_for(parent_path) if parent_path else None
        if parent is not None and parent.kind == "dict" and parent.path == parent_path:
            self.remove_entry(parent_path, key)
            return
        self._edit(path, lambda: self.document.delete(path))

    def script_sets(self, path: str) -> bool:
        """Whether the demo script's ``USER_CONFIG`` holds ``path``."""
        resolved = self.resolved
        data: Any = resolved.python.user_config if resolved is not None and resolved.python else {}
        return _walk(data, path.split(".")) is not _ABSENT

    def _materialize(self, path: str) -> None:
        """Make sure the YAML holds the list or mapping at ``path`` (copied from the script)."""
        assert self.resolved is not None
        if not self.document.has(path):
            value = self.value(path)
            set_in_yaml(
                self.document,
                self.resolved,
                path,
                copy.deepcopy(value if value is not None else []),
            )

    def value(self, path: str) -> Any:
        node = self.node_for(path)
        return copy.deepcopy(node.value) if node.path == path else None

    def add_item(self, list_path: str, item: Any = None) -> int:
        """Append an item (a fresh one made from the schema when ``item`` is None); its index."""
        items = self.value(list_path) or []
        new = item if item is not None else new_item(list_path, items)

        def change() -> None:
            self._materialize(list_path)
            self.document.append(list_path, new)

        self._edit(list_path, change)
        return len(items)

    def duplicate_item(self, list_path: str, index: int) -> int:
        items = self.value(list_path) or []
        item = copy.deepcopy(items[index])
        if isinstance(item, dict) and "name" in item:
            item["name"] = _unique(
                f"{item['name']}_copy", {i.get("name") for i in items if isinstance(i, dict)}
            )

        def change() -> None:
            self._materialize(list_path)
            self.document.insert(list_path, index + 1, item)

        self._edit(list_path, change)
        return index + 1

    def removal_needs_confirmation(self, list_path: str, index: int) -> str | None:
        """The question to ask before removing item ``index`` of ``list_path``, or None to
        remove it at once.

        Removing an item that leaves the list shorter than the schema allows (the only pass)
        asks first: the config then fails validation until an item is added back.
        """
        node = self.node_for(list_path)
        items = node.value if node.path == list_path and isinstance(node.value, list) else []
        least = int(node.constraints.get("min_length", 0))
        if not 0 <= index < len(items) or len(items) - 1 >= least:
            return None
        item = items[index]
        name = item.get("name") if isinstance(item, Mapping) else None
        what = f"{_singular(node.label.lower())} '{name}'" if name else f"{node.label} {index + 1}"
        if len(items) == 1:
            need = "at least one" if least == 1 else f"at least {least}"
            return (
                f"Remove {what}? It is the only one: the config needs {need} and shows an error "
                "until you add another (undo brings it back)."
            )
        return (
            f"Remove {what}? {node.label} needs at least {least} items: the config shows an "
            "error until you add another (undo brings it back)."
        )

    def remove_item(self, list_path: str, index: int) -> None:
        def change() -> None:
            self._materialize(list_path)
            self.document.remove(list_path, index)

        self._edit(list_path, change)

    def move_item(self, list_path: str, index: int, to: int) -> None:
        size = len(self.value(list_path) or [])
        if not (0 <= index < size and 0 <= to < size) or index == to:
            return

        def change() -> None:
            self._materialize(list_path)
            self.document.move(list_path, index, to)

        self._edit(list_path, change)

    def set_entry(self, dict_path: str, key: str, value: Any) -> None:
        """Add or change one row of a key/value field."""
        self.set(f"{dict_path}.{key}", value)

    def remove_entry(self, dict_path: str, key: str) -> None:
        """Remove one row of a key/value field. A row the YAML holds leaves it; a row from the
        script is removed by writing the mapping without it into the YAML."""
        path = f"{dict_path}.{key}"
        node = self.node_for(path)
        if node.path != path:
            return
        if node.origin == "yaml" and not self.script_sets(path):
            self._edit(path, lambda: self.document.delete(path))
            return
        assert self.resolved is not None
        resolved = self.resolved
        rest = {k: v for k, v in (self.value(dict_path) or {}).items() if str(k) != key}

        def change() -> None:
            set_in_yaml(self.document, resolved, dict_path, plain(rest))
            if self.document.has(path):
                self.document.delete(path)

        self._edit(path, change)
        if self.node_for(path).path == path:
            self.undo()
            self.redo_stack.clear()
            raise InputError(
                f"{key} comes from the script's {dict_path}; the YAML cannot remove it"
            )

    def switch_variant(self, path: str, variant: str) -> None:
        """Switch a union (e.g. parquet -> csv); switching back restores what was typed."""
        current = self.value(path)
        node = self.node_for(path)
        if node.variant == variant:
            return
        kept = self.stash.setdefault(path, {})
        if node.variant and isinstance(current, dict):
            kept[node.variant] = current
        restored = kept.get(variant, {"type": variant})
        self.set(path, restored)

    # -- undo, redo -----------------------------------------------------------------------

    def undo(self) -> bool:
        return self._travel(self.undo_stack, self.redo_stack)

    def redo(self) -> bool:
        return self._travel(self.redo_stack, self.undo_stack)

    def _travel(self, source: list[_Snapshot], target: list[_Snapshot]) -> bool:
        if not source:
            return False
        target.append(_Snapshot(self.document.text, copy.deepcopy(self.stash), set(self.touched)))
        snap = source.pop()
        self.document.replace_text(snap.text)
        self.stash, self.touched = snap.stash, snap.touched
        self.clear_drafts()
        self.refresh()
        return True

    # -- saving, reloading, changes on disk -----------------------------------------------

    def diff(self) -> str:
        """Unified diff of the file as it is on disk to what a save would write."""
        return self.document.diff()

    def save(self, *, overwrite: bool = False, allow_errors: bool = False) -> list[ConfigIssue]:
        """Write the YAML (atomically). Every error is shown after a save attempt. A config
        with errors is refused (:class:`InvalidConfig`) unless ``allow_errors``, as
        ``basalt config set`` without ``--force``. Raises :class:`SaveConflict` when the file
        changed on disk, unless ``overwrite``."""
        self.show_all_errors = True
        if self.read_only:
            self.refresh()
            raise ReadOnlyError(f"{self.path} is read-only")
        self.refresh()
        if self.issues and not allow_errors:
            raise InvalidConfig(list(self.issues))
        check_demo_pair(self.path)
        if not overwrite and self.document.disk_changed():
            self.refresh()
            raise SaveConflict(f"{self.path} changed on disk since it was opened")
        self.document.save()
        self.disk_problem = None
        self.refresh()
        return self.issues

    def disk_text(self) -> str | None:
        """The file's text on disk now; None when it is missing or cannot be read.
        :class:`DocumentError` when it is refused (a link, too large, not a regular file):
        nothing is read then."""
        try:
            check_demo_pair(self.path)
            return read_capped(self.path).decode("utf-8", errors="replace")
        except FileNotFoundError:
            return None
        except DocumentError:
            raise
        except OSError:
            return None

    def reload(self) -> None:
        """Discard unsaved edits and read the file again (:class:`UnsafeDemoFile` when it
        became a link or not a regular file: nothing is read)."""
        check_demo_pair(self.path)
        self._take(load_document(self.path))

    def take_theirs(self, text: str) -> None:
        """Discard unsaved edits and take ``text`` (the file's text on disk) exactly;
        :class:`DocumentError` if it does not parse."""
        check_demo_pair(self.path)
        self._take(ConfigDocument.read_from(text, self.path, key_order=schema_key_order))

    def _take(self, document: ConfigDocument) -> None:
        self.document = document
        self.disk_problem = None
        self.undo_stack.clear()
        self.redo_stack.clear()
        self.touched.clear()
        self.clear_drafts()
        self.refresh()

    def choose_on_broken_disk(self, choice: str) -> None:
        """The banner's answer: :data:`KEEP_EDITS` or :data:`RELOAD_WHEN_FIXED`."""
        if self.disk_problem is None:
            return
        if choice == RELOAD_WHEN_FIXED:
            self.disk_problem.reload_when_fixed = True
        elif choice == KEEP_EDITS:
            self.disk_problem.kept = True

    def on_disk_change(self, text: str | None) -> ExternalChange:
        """The file changed outside this session: reload when clean, else let the user choose.

        Text that does not parse sets :attr:`disk_problem` (the banner); once the file parses
        again it is taken when there are no unsaved edits or the user chose to reload then,
        else the user chooses as for any change."""
        problem = self.disk_problem
        if text is None:
            return ExternalChange(reloaded=False, conflict=False)
        if text == self.document.original_text and not (problem and problem.reload_when_fixed):
            self.disk_problem = None  # put back as it was: nothing to take
            return ExternalChange(reloaded=False, conflict=False, theirs=text, fixed=bool(problem))
        try:
            check_demo_pair(self.path)
        except UnsafeDemoFile as exc:
            return ExternalChange(reloaded=False, conflict=False, error=str(exc), theirs=text)
        try:
            ConfigDocument.loads(text, self.path)
        except DocumentError as exc:  # a half-edited file elsewhere: keep ours, say why
            kept = problem if problem is not None else DiskProblem(str(exc))
            self.disk_problem = DiskProblem(str(exc), kept.reload_when_fixed, kept.kept)
            return ExternalChange(reloaded=False, conflict=False, error=str(exc), theirs=text)
        fixed = problem is not None
        if not self.dirty or (problem is not None and problem.reload_when_fixed):
            self.take_theirs(text)
            return ExternalChange(reloaded=True, conflict=False, theirs=text, fixed=fixed)
        self.disk_problem = None
        diff = _text_diff(text, self.document.text, self.path.name)
        return ExternalChange(reloaded=False, conflict=True, diff=diff, theirs=text, fixed=fixed)


def _text_diff(theirs: str, mine: str, name: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        theirs.splitlines(keepends=True),
        mine.splitlines(keepends=True),
        f"disk/{name}",
        f"editor/{name}",
    )
    return "".join(lines)


def cross_field_issues(
    resolved: ResolvedConfig, issues: list[ConfigIssue], data: dict[str, Any] | None = None
) -> list[ConfigIssue]:
    """Errors of the rules across fields (unique pass names, inputs, Dagster names) that
    field errors hide: Pydantic runs a model's rules only when its fields are valid. The
    fields in error are dropped (their defaults apply) and the rest validated again.
    ``data``: the config data checked (default: ``resolved.data``)."""
    data = copy.deepcopy(resolved.data if data is None else data)
    seen = {(i.path, i.message) for i in issues}
    bad = {i.path for i in issues}
    found: list[ConfigIssue] = []
    for _ in range(3):
        if not bad or any(not _drop(data, path) for path in bad):
            break
        _config, again = validate_data(data, resolved.modules)
        fresh = [i for i in again if i.path not in bad and (i.path, i.message) not in seen]
        found += [locate(i, resolved) for i in fresh if i.message != "required, but not set"]
        seen |= {(i.path, i.message) for i in fresh}
        bad = {i.path for i in again}
    return found


def _drop(data: Any, path: str) -> bool:
    """Remove the mapping key at ``path``; False when it is a list item or not found (then
    dropping it would move the items after it)."""
    parts = path.split(".") if path else []
    if not parts or parts[-1].isdigit():
        return False
    parent = _walk(data, parts[:-1])
    if isinstance(parent, dict) and parts[-1] in parent:
        del parent[parts[-1]]
        return True
    return False


_ABSENT: Any = object()


def _walk(data: Any, parts: list[str]) -> Any:
    """The value at ``parts`` in plain data (list items by index), or ``_ABSENT``."""
    for part in parts:
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return _ABSENT
    return data


def _related(a: str, b: str) -> bool:
    """Whether one path is the other or inside it."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".") or not a or not b


def _singular(word: str) -> str:
    """``passes`` -> ``pass``, ``schedules`` -> ``schedule``."""
    if word.endswith("sses"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _writable(path: Path) -> bool:
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    return os.access(path.parent, os.W_OK)


def _unique(name: str, taken: set[Any]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}{n}", n + 1
    return candidate


def new_item(list_path: str, items: list[Any]) -> Any:
    """A fresh item for a list of models: required fields filled with something valid."""
    last = str(parse_path(list_path)[-1])
    names = {i.get("name") for i in items if isinstance(i, dict)}
    if last == "PASSES":
        return {"name": _unique(f"pass_{len(items) + 1}", names), "modules": ["trade"]}
    if last == "SCHEDULES":
        return {"name": _unique(f"schedule_{len(items) + 1}", names), "cron": "0 2 * * *"}
    if last == "partitions":
        return {"date": "yesterday"}
    if last == "generic_metrics":
        return {"sides": "Total", "measures": ["OHLC", "Volume"]}
    return {}


__all__ = [
    "DemoError",
    "DocumentError",
    "EditorSession",
    "DiskProblem",
    "ExternalChange",
    "InvalidConfig",
    "ReadOnlyError",
    "SaveConflict",
    "ShownError",
    "UnsafeDemoFile",
]


def _searchable(node: FieldNode) -> str:
    """What a search looks in: path, label, descriptions and choices, lower-cased."""
    choices = " ".join(str(c) for c in node.choices)
    return f"{node.path} {node.label} {node.help} {node.long_help} {choices}".lower()
