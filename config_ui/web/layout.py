"""Where each node of the form shows on the page; no NiceGUI here, so tests and the parity
check with the terminal editor can ask without a browser.

Top-level fields go to the side navigation's sections (Core, Outputs, Automation,
Performance, Advanced). ``PASSES`` shows as pass cards in Core, with the selected pass's
editor below them. Inside a group, fields marked ``section="Advanced"`` sit in a collapsed
"Advanced" part. Hidden fields (``visible=False``, e.g. the settings of a module the pass
does not use) and everything below them are not rendered.
"""

from __future__ import annotations

from config_ui.core.locate import (
    ADVANCED,
    PASSES,
    Location,
    locate,
    pass_index,
    passes_node,
    readable_path,
    rendered_fields,
    section_of,
    split_children,
    top_nodes,
    walk_rendered,
)
from config_ui.core.nodes import FieldNode

__all__ = [
    "ADVANCED",
    "PASSES",
    "Location",
    "is_module_picker",
    "locate",
    "pass_index",
    "passes_node",
    "readable_path",
    "rendered_fields",
    "section_of",
    "split_children",
    "top_nodes",
    "view_signature",
    "walk_rendered",
]


def is_module_picker(node: FieldNode) -> bool:
    parts = node.path.split(".")
    return len(parts) == 3 and parts[0] == PASSES and parts[1].isdigit() and parts[2] == "modules"


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
