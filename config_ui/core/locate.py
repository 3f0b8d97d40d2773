"""Where a field path lives in the form, and which error comes next: both editors ask here.

Top-level fields belong to a navigation section (Core, Outputs, Automation, Performance,
Advanced); a field under ``PASSES.<i>`` lives on pass ``i``'s page; inside a group, fields
marked ``section="Advanced"`` sit in a folded "Advanced" part. Hidden fields (a module the pass
does not use) and everything below them are not shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from basalt.config.ui import SECTIONS
from config_ui.core.nodes import FieldNode

PASSES = "PASSES"
ADVANCED = "Advanced"


def section_of(node: FieldNode) -> str:
    """The navigation section of a top-level node (unknown keys go to Advanced)."""
    return node.section if node.section in SECTIONS else ADVANCED


def top_nodes(root: FieldNode, section: str) -> list[FieldNode]:
    return [c for c in root.children if c.visible and section_of(c) == section]


def split_children(node: FieldNode) -> tuple[list[FieldNode], list[FieldNode]]:
    """(main, advanced) visible children of a group."""
    shown = [c for c in node.children if c.visible]
    return [c for c in shown if c.section != ADVANCED], [c for c in shown if c.section == ADVANCED]


def walk_rendered(node: FieldNode) -> Iterator[FieldNode]:
    """``node`` and every visible node below it, in page order."""
    if not node.visible:
        return
    yield node
    main, advanced = split_children(node)
    for child in [*main, *advanced]:
        yield from walk_rendered(child)


def rendered_fields(root: FieldNode | None) -> dict[str, str]:
    """Path -> kind of every node the page renders, across all sections and passes."""
    if root is None:
        return {}
    out: dict[str, str] = {}
    for section in SECTIONS:
        for top in top_nodes(root, section):
            for node in walk_rendered(top):
                out[node.path] = node.kind
    return out


def pass_index(path: str) -> int | None:
    parts = path.split(".")
    if len(parts) > 1 and parts[0] == PASSES and parts[1].isdigit():
        return int(parts[1])
    return None


def passes_node(root: FieldNode) -> FieldNode | None:
    return next((c for c in root.children if c.path == PASSES), None)


@dataclass
class Location:
    """Where the page must go to show a path: section, pass, which "Advanced" parts to open."""

    target: str
    section: str
    pass_index: int | None = None
    open_advanced: set[str] = field(default_factory=set)
    exact: bool = True


def locate(root: FieldNode, path: str) -> Location | None:
    """The nearest rendered node at or above ``path`` and how to reach it; None if ``path``
    names nothing in the form."""
    chain: list[FieldNode] = []
    node = root
    parts = path.split(".") if path else []
    for i in range(len(parts)):
        prefix = ".".join(parts[: i + 1])
        child = next((c for c in node.children if c.path == prefix), None)
        if child is None:
            break
        chain.append(child)
        node = child
    if not chain:
        return None
    exact = chain[-1].path == path
    while chain and not all(n.visible for n in chain):
        chain.pop()
        exact = False
    if not chain:
        return None
    location = Location(target=chain[-1].path, section=section_of(chain[0]), exact=exact)
    location.pass_index = pass_index(location.target)
    for parent, child in zip(chain, chain[1:], strict=False):
        if child.section == ADVANCED:
            location.open_advanced.add(parent.path)
    return location


def readable_path(root: FieldNode, path: str) -> str:
    """``PASSES.0.time_bucket_seconds`` -> ``Passes › bars_5m › Time bucket seconds``."""
    words: list[str] = []
    node = root
    parts = path.split(".")
    for i in range(len(parts)):
        prefix = ".".join(parts[: i + 1])
        child = next((c for c in node.children if c.path == prefix), None)
        if child is None:
            words.append(parts[i])
            continue
        name = (
            child.value.get("name")
            if isinstance(child.value, dict) and child.kind == "model"
            else None
        )
        words.append(str(name) if name and parts[i].isdigit() else child.label)
        node = child
    return " › ".join(words)


def next_error(root: FieldNode, error_paths: Iterable[str], after: str | None = None) -> str | None:
    """The first path of ``error_paths`` after ``after`` in form order (wrapping), or None.

    ``after`` may be any path (the focused field, the last error shown); paths the form does
    not hold (yet) sort last.
    """
    order = {n.path: i for i, n in enumerate(root.walk())}
    paths = sorted(dict.fromkeys(error_paths), key=lambda p: order.get(p, len(order)))
    if not paths:
        return None
    if after in paths:
        return paths[(paths.index(after) + 1) % len(paths)]
    current = order.get(after or "", -1)
    return next((p for p in paths if order.get(p, len(order)) > current), paths[0])
