"""Where each node of the form shows on the page; no NiceGUI here, so tests and the parity
check with the terminal editor can ask without a browser.

Top-level fields go to the side navigation's sections (Core, Outputs, Automation,
Performance, Advanced). ``PASSES`` shows as pass cards in Core, with the selected pass's
editor below them. Inside a group, fields marked ``section="Advanced"`` sit in a collapsed
"Advanced" part. Hidden fields (``visible=False``, e.g. the settings of a module the pass
does not use) and everything below them are not rendered.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def is_module_picker(node: FieldNode) -> bool:
    parts = node.path.split(".")
    return len(parts) == 3 and parts[0] == PASSES and parts[1].isdigit() and parts[2] == "modules"


def passes_node(root: FieldNode) -> FieldNode | None:
    return next((c for c in root.children if c.path == PASSES), None)


def view_signature(root: FieldNode, section: str, selected_pass: int) -> tuple:
    """What a section view is made of: equal signatures mean the page can be updated in place
    (values, origins, errors) rather than rebuilt."""
    parts: list[tuple] = [(section,)]
    for top in top_nodes(root, section):
        if top.path == PASSES:
            parts.append((PASSES, len(top.children), selected_pass))
            if 0 <= selected_pass < len(top.children):
                parts += [
                    (n.path, n.kind, n.variant) for n in walk_rendered(top.children[selected_pass])
                ]
            continue
        parts += [(n.path, n.kind, n.variant) for n in walk_rendered(top)]
    return tuple(parts)


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
