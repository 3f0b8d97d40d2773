"""Where things are in a parsed YAML text: slots, dashes, and the lines of keys and items.

Pure functions over a :class:`~basalt.config.yaml_tree.Tree`; the editor uses
them to decide which characters or lines an edit replaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from basalt.config.yaml_tree import MappingNode, Node, SequenceNode, Tree, deref

RawPath = tuple[str | int, ...]
Collection = MappingNode | SequenceNode


@dataclass
class Slot:
    """Where a value sits: entry ``index`` of a mapping or item ``index`` of a sequence."""

    parent: Collection
    index: int
    node: Node

    @property
    def target(self) -> Node:
        """The value node, aliases followed."""
        return deref(self.node)


@dataclass
class Member:
    """A key or item of a block collection.

    ``head`` is the offset of the key or of the item's dash; ``last_line`` the
    last line of its value (with the deeper-indented comment lines right
    below it); ``at_line_start`` is False for a key that follows a ``- ``.
    """

    head: int
    last_line: int
    at_line_start: bool


def find(tree: Tree, raw: RawPath) -> list[Slot]:
    """Slots along ``raw`` from the root, as far as the path exists (aliases followed)."""
    slots: list[Slot] = []
    node = tree.root
    for segment in raw:
        slot = child(deref(node), segment) if node is not None else None
        if slot is None:
            break
        slots.append(slot)
        node = slot.node
    return slots


def child(container: Node, segment: str | int) -> Slot | None:
    """The slot of ``segment`` in a mapping (keys compared as text) or a sequence."""
    if isinstance(container, MappingNode):
        index = _key_index(container).get(str(segment))
        if index is not None:
            return Slot(container, index, container.entries[index][1])
    elif isinstance(container, SequenceNode) and isinstance(segment, int):
        if 0 <= segment < len(container.items):
            return Slot(container, segment, container.items[segment])
    return None


def _key_index(mapping: MappingNode) -> dict[str, int]:
    """Position of each key of ``mapping`` (as text), built once per mapping: a lookup per
    error or edit must not scan a mapping of thousands of keys."""
    index = mapping.__dict__.get("_key_index")
    if index is None or len(index) != len(mapping.entries):
        index = {str(key.value): i for i, (key, _) in reversed(list(enumerate(mapping.entries)))}
        mapping.__dict__["_key_index"] = index
    return index


def dash(tree: Tree, seq: SequenceNode, index: int) -> int:
    """Offset of the ``-`` of item ``index`` of a block sequence.

    It is the last ``-`` before the item that is followed by a space or line
    break and preceded on its line only by spaces (or other dashes, as in ``- - a``).
    """
    text, item = tree.text, seq.items[index]
    limit = seq.start if index == 0 else seq.items[index - 1].end
    pos = item.start
    while (pos := text.rfind("-", limit, pos)) >= 0:
        line_start = tree.lines.start(tree.lines.line_of(pos))
        before, after = text[line_start:pos], text[pos + 1 : pos + 2]
        if after in ("", " ", "\t", "\r", "\n") and not before.replace("-", " ").strip():
            return pos
    raise AssertionError("a block sequence item without a dash")


def members(tree: Tree, coll: Collection) -> list[Member]:
    """The keys or items of a block collection with their line ranges."""
    if isinstance(coll, MappingNode):
        spans = [(key.start, max(key.end, value.end)) for key, value in coll.entries]
    else:
        spans = [(dash(tree, coll, i), item.end) for i, item in enumerate(coll.items)]
    lines = tree.lines
    return [
        Member(
            head,
            block_end(tree, last_line(tree, end), lines.column_of(head)),
            not tree.text[lines.start(lines.line_of(head)) : head].strip(),
        )
        for head, end in spans
    ]


def last_line(tree: Tree, end: int) -> int:
    """The line holding the last character of a span ending at ``end``."""
    if tree.text[end - 1] in "\r\n":  # keep-chomped block scalars end after a blank line
        return tree.lines.line_of(end)
    return tree.lines.line_of(end - 1)


def block_end(tree: Tree, line: int, column: int) -> int:
    """``line``, extended over the comment lines right below it indented beyond ``column``.

    Such comments belong to the block that ends at ``line`` (e.g. a
    commented-out last item), so they move and go away with it.
    """
    lines = tree.lines
    while line + 1 < lines.count:
        content = lines.content(line + 1)
        stripped = content.lstrip(" ")
        if not stripped.startswith("#") or len(content) - len(stripped) <= column:
            break
        line += 1
    return line


def head_line(tree: Tree, coll: Collection, found: list[Member], index: int) -> int:
    """First line of member ``index`` including the comment lines directly above it.

    Comments above the first key of the root mapping are the file's header and
    are not included.
    """
    lines = tree.lines
    line = lines.line_of(found[index].head)
    if index == 0 and coll is tree.root:
        return line
    column = lines.column_of(found[index].head)
    floor = found[index - 1].last_line + 1 if index else 0
    while line > floor:
        above = lines.content(line - 1)
        stripped = above.lstrip(" ")
        if not stripped.startswith("#") or len(above) - len(stripped) > column:
            break
        line -= 1
    return line


def indentation(tree: Tree, line: int) -> int:
    """Number of spaces that start ``line``."""
    content = tree.lines.content(line)
    return len(content) - len(content.lstrip(" "))


def block_scalar_indent(tree: Tree, start: int, end: int) -> int | None:
    """Content indentation of the block scalar spanning ``[start, end)`` (None if it has none)."""
    header = tree.lines.line_of(start)
    for line in range(header + 1, last_line(tree, end) + 1):
        if tree.lines.content(line).strip():
            return indentation(tree, line)
    return None


def flow_spans(coll: Collection) -> list[tuple[int, int]]:
    """``[start, end)`` of each entry (key to value) or item of a flow collection."""
    if isinstance(coll, MappingNode):
        return [(key.start, max(key.end, value.end)) for key, value in coll.entries]
    return [(item.start, item.end) for item in coll.items]


def comment_in(rest_of_line: str) -> str:
    """The ``# comment`` in the text that follows a value on its line ("" if none)."""
    stripped = rest_of_line.strip()
    return stripped if stripped.startswith("#") else ""
