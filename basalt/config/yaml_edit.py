"""Text surgery on a YAML document: every edit is a splice at node spans.

An :class:`Editor` owns the text and its parsed :class:`~basalt.config.yaml_tree.Tree`.
Each splice re-parses the whole text, so node offsets are always those of the
current text. Paths here are *raw* paths from the document root (the
``USER_CONFIG`` wrapper key included); callers validate them first.

Layout rules:

* a scalar is replaced at exactly its span (anchor kept, explicit tag dropped);
  the rest of its line, end-of-line comment included, is untouched;
* a new key goes after the whole block of the key before it, so full-line
  comments and blank lines heading the next key stay with that key; a key or
  item inserted *before* another goes above the comment lines directly
  attached to it;
* deleting a key or item removes its own lines only;
* flow collections (``{a: 1}``, ``[a, b]``) are edited in place with ``, ``
  separators; an empty ``{}`` / ``[]`` in block context becomes a block.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from basalt.config import yaml_layout as layout
from basalt.config.yaml_emit import (
    Renderer,
    Style,
    block_scalar,
    detect_style,
    is_block,
    is_multiline,
    render_scalar,
)
from basalt.config.yaml_layout import Collection, Member, RawPath, Slot
from basalt.config.yaml_model import nest, same_value
from basalt.config.yaml_tree import (
    AliasNode,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    construct,
    parse,
)


@dataclass
class _Place:
    """Geometry of a value in a block collection, for rewriting it."""

    indicator: int  # offset just after the key's ":" or the item's "-"
    column: int  # column of the key or the dash
    below: int  # indentation of a block value written there
    scalar_indent: int  # indentation of block scalar content written there
    key_line: int  # line of the indicator
    last: int  # last line of the old value
    inline: bool  # the old value starts on the indicator line
    compact: int | None  # for items: column after the dash (block values start on its line)


class Editor:
    """The text of a YAML document with structural edit operations."""

    def __init__(
        self,
        text: str,
        source: str | Path | None = None,
        key_order: Callable[[RawPath], Sequence[str]] | None = None,
    ) -> None:
        self.source = source
        self.key_order = key_order
        self.style = Style()
        self.load(text)

    # -- text and tree ----------------------------------------------------------------

    def load(self, text: str) -> None:
        """Replace the whole text (and re-parse it).

        The line ending in use survives texts left without any line break.
        """
        self.tree = parse(text, self.source)
        self.style = detect_style(self.tree, default_eol=self.style.eol)
        self.render = Renderer(self.style, self.key_order)

    @property
    def text(self) -> str:
        return self.tree.text

    @property
    def eol(self) -> str:
        return self.style.eol

    def splice(self, start: int, end: int, new: str) -> None:
        """Replace ``text[start:end]`` by ``new`` and re-parse."""
        text = self.text
        self.load(text[:start] + new + text[end:])

    def insert_after_line(self, line: int, new_lines: list[str]) -> None:
        """Insert whole lines after ``line`` (keeping a missing final newline missing)."""
        lines, body = self.tree.lines, self.eol.join(new_lines)
        if line + 1 < lines.count:
            at = lines.start(line + 1)
            self.splice(at, at, body + self.eol)
        else:
            self.splice(len(self.text), len(self.text), self.eol + body)

    def insert_before_line(self, line: int, new_lines: list[str]) -> None:
        """Insert whole lines before ``line``."""
        at = self.tree.lines.start(line)
        self.splice(at, at, self.eol.join(new_lines) + self.eol)

    def remove_lines(self, first: int, last: int) -> None:
        """Remove lines ``first..last`` (inclusive) with their line breaks."""
        lines = self.tree.lines
        start = lines.start(first)
        if last + 1 < lines.count:
            end = lines.start(last + 1)
        else:
            end = len(self.text)
            start = lines.end(first - 1) if first > 0 else start
        self.splice(start, end, "")

    # -- finding nodes ----------------------------------------------------------------

    def find(self, raw: RawPath) -> list[Slot]:
        """Slots along ``raw``, as far as the path exists."""
        return layout.find(self.tree, raw)

    def slot(self, raw: RawPath) -> Slot:
        """The slot at ``raw``, which must exist."""
        slots = self.find(raw)
        if len(slots) != len(raw) or not raw:
            raise KeyError(".".join(map(str, raw)))
        return slots[-1]

    def sequence(self, raw: RawPath) -> tuple[Slot, SequenceNode]:
        """The slot and node of the list at ``raw``, which must exist."""
        slot = self.slot(raw)
        seq = slot.target
        assert isinstance(seq, SequenceNode), f"{raw} is not a list"
        return slot, seq

    def dash(self, seq: SequenceNode, index: int) -> int:
        """Offset of the ``-`` of item ``index`` of a block sequence."""
        return layout.dash(self.tree, seq, index)

    def members(self, coll: Collection) -> list[Member]:
        """Heads and line ranges of the keys / items of a block collection."""
        return layout.members(self.tree, coll)

    # -- set --------------------------------------------------------------------------

    def set(self, raw: RawPath, value: Any) -> None:
        """Make ``raw`` hold ``value``, changing as little text as possible."""
        slots = self.find(raw)
        if len(slots) == len(raw):
            self._update(raw, slots[-1], value)
            return
        done = len(slots)
        container = slots[-1].target if slots else self.tree.root
        rest = raw[done:]
        # An empty "{}" written in block context is replaced by a block mapping.
        if isinstance(container, MappingNode) and (
            container.entries or container.in_flow or not slots
        ):
            self._add_key(raw[:done], container, str(rest[0]), nest(rest[1:], value))
        else:
            self.replace(raw[:done], slots[-1], nest(rest, value))

    def _update(self, raw: RawPath, slot: Slot, value: Any) -> None:
        node, target = slot.node, slot.target
        if same_value(construct(target), value):
            return
        if isinstance(node, AliasNode):  # the path stops sharing the anchored value
            self.replace(raw, slot, value)
        elif isinstance(target, ScalarNode) and not isinstance(value, (dict, list)):
            self._set_scalar(target, value)
        elif (
            isinstance(target, MappingNode) and isinstance(value, dict) and target.entries and value
        ):
            self._update_mapping(raw, target, value)
        elif (
            isinstance(target, SequenceNode) and isinstance(value, list) and target.items and value
        ):
            self._update_sequence(raw, construct(target), value)
        else:
            self.replace(raw, slot, value)

    def _update_mapping(self, raw: RawPath, target: MappingNode, value: dict) -> None:
        old = {str(k): v for k, v in construct(target).items()}
        for key, item in value.items():
            if key not in old or not same_value(old[key], item):
                self.set((*raw, key), item)
        for key in old:
            if key not in value:
                self.delete((*raw, key))

    def _update_sequence(self, raw: RawPath, old: list, new: list) -> None:
        """Set changed items; insert or remove only in the differing middle part."""
        shortest = min(len(old), len(new))
        head = 0
        while head < shortest and same_value(old[head], new[head]):
            head += 1
        tail = 0
        while tail < shortest - head and same_value(old[-1 - tail], new[-1 - tail]):
            tail += 1
        old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
        common = min(len(old_mid), len(new_mid))
        for i in range(common):
            self.set((*raw, head + i), new_mid[i])
        for _ in range(len(old_mid) - common):
            self.remove_item(raw, head + common)
        for i in range(common, len(new_mid)):
            self.insert_item(raw, head + i, new_mid[i])

    def _set_scalar(self, node: ScalarNode, value: Any) -> None:
        """Replace a scalar at its span, keeping its anchor and (for strings) its quote style."""
        anchor = f"&{node.anchor} " if node.anchor else ""
        if node.style in ("|", ">") and is_multiline(value) and not node.in_flow:
            indent = layout.block_scalar_indent(self.tree, node.start, node.end)
            if indent is None:
                indent = layout.indentation(self.tree, self.tree.lines.line_of(node.start))
                indent += self.style.step
            lines = block_scalar(value, node.style, indent)
            if lines is not None:
                at_end = node.end == len(self.text)
                new = anchor + self.eol.join(lines) + (self.eol if at_end else "")
                self.splice(node.start, node.end, new)
                return
        prefer = node.style if node.style in ("'", '"') else ""
        new = render_scalar(value, quote=self.style.quote, prefer=prefer, flow=node.in_flow)
        self.splice(node.start, node.end, self._gap(node) + anchor + new)

    def _gap(self, node: Node) -> str:
        """What must precede text written into an empty (null) node's span."""
        if node.start != node.end:
            return ""
        before = self.text[: node.start].rstrip(" \t")
        if node.in_flow and not before.endswith(":"):
            return ": "
        return "" if self.text[node.start - 1] in " \t" else " "

    # -- replacing a whole value --------------------------------------------------------

    def replace(self, raw: RawPath, slot: Slot, value: Any) -> None:
        """Write ``value`` over the whole value at ``slot`` (any kind to any kind)."""
        node = slot.node
        anchor = "" if isinstance(node, AliasNode) or node.anchor is None else f"&{node.anchor}"
        one_line = not is_block(value) and not is_multiline(value)
        if slot.parent.flow:
            new = self.render.inline(value, raw, flow=True)
            self.splice(node.start, node.end, self._gap(node) + _words(anchor, new))
            return
        place = self._place(slot, value)
        if place.inline and one_line:
            new = _words(anchor, self.render.inline(value, raw))
            self.splice(node.start, node.end, self._gap(node) + new)
        elif node.start == node.end and is_block(value):  # "key:  # note" keeps its line
            end = self.tree.lines.end(place.key_line)
            body = self.render.block(value, place.below, raw)
            self.splice(end, end, self.eol + self.eol.join(body))
        else:
            self._rewrite_value(raw, node, value, anchor, place)

    def _place(self, slot: Slot, value: Any) -> _Place:
        lines, style, node = self.tree.lines, self.style, slot.node
        if isinstance(slot.parent, MappingNode):
            key = slot.parent.entries[slot.index][0]
            indicator = self.text.index(":", key.end) + 1
            column = lines.column_of(key.start)
            below = column + (style.seq_indent if isinstance(value, list) else style.step)
            scalar_indent, compact = column + style.step, None
        else:
            indicator = self.dash(slot.parent, slot.index) + 1
            column = lines.column_of(indicator - 1)
            below, scalar_indent, compact = column + style.item_indent, column + 2, column + 1
        key_line = lines.line_of(indicator - 1)
        if node.start == node.end:
            return _Place(
                indicator, column, below, scalar_indent, key_line, key_line, True, compact
            )
        inline = lines.line_of(node.start) == key_line
        last = layout.last_line(self.tree, node.end)
        if not inline:
            last = layout.block_end(self.tree, last, column)
        return _Place(indicator, column, below, scalar_indent, key_line, last, inline, compact)

    def _rewrite_value(
        self, raw: RawPath, node: Node, value: Any, anchor: str, place: _Place
    ) -> None:
        """Rewrite everything after the indicator up to the end of the old value's last line.

        The comment of the key line (or of the old one-line value) stays on the key line.
        """
        lines, text = self.tree.lines, self.text
        end = lines.end(place.last)
        if place.inline:
            comment = layout.comment_in(text[node.end : end])
        else:
            comment = layout.comment_in(text[place.indicator : lines.end(place.key_line)])
        new = self._value_text(raw, value, anchor, comment, place)
        if is_multiline(value) and not is_block(value) and end == len(text):
            new += self.eol  # a block scalar must end with a line break
        self.splice(place.indicator, end, new)

    def _value_text(
        self, raw: RawPath, value: Any, anchor: str, comment: str, place: _Place
    ) -> str:
        """Text that follows a ``key:`` or ``-`` indicator for ``value``."""
        eol = self.eol
        if is_block(value):
            body = self.render.block(value, place.below, raw)
            if place.compact is not None and not anchor and not comment:
                first = " " * (place.below - place.compact) + body[0][place.below :]
                return eol.join([first, *body[1:]])
            return _lead(anchor, comment) + eol + eol.join(body)
        if is_multiline(value):
            lines = block_scalar(value, "|", place.scalar_indent)
            if lines is not None:
                return _lead(anchor, lines[0], comment) + eol + eol.join(lines[1:])
        return _lead(anchor, self.render.inline(value, raw), comment)

    # -- keys ---------------------------------------------------------------------------

    def _add_key(self, raw_parent: RawPath, mapping: MappingNode, key: str, value: Any) -> None:
        path = (*raw_parent, key)
        index, after = self._position(raw_parent, mapping, key)
        if mapping.flow:
            new = f"{self.render.key(key, flow=True)}: {self.render.inline(value, path, flow=True)}"
            self._flow_insert(mapping, index, new)
            return
        found = self.members(mapping)
        column = self.tree.lines.column_of(found[0].head)
        new_lines = self.render.entry(key, value, column, path)
        if after:
            self.insert_after_line(found[index - 1].last_line, new_lines)
        else:
            self._insert_before(mapping, found, index, new_lines, column)

    def _position(self, raw_parent: RawPath, mapping: MappingNode, key: str) -> tuple[int, bool]:
        """Where a new key goes: (index, after) = after entry index-1, or before entry index.

        After the existing key that comes last among those the key order puts
        before the new key; else before the first one it puts after; else at the end.
        """
        keys = [str(k.value) for k, _ in mapping.entries]
        order = list(self.key_order(raw_parent)) if self.key_order is not None else []
        if key not in order:
            return len(keys), bool(keys)
        rank = {name: i for i, name in enumerate(order)}
        known = [(rank[k], i) for i, k in enumerate(keys) if k in rank]
        before = [pair for pair in known if pair[0] < rank[key]]
        if before:
            return max(before)[1] + 1, True
        after = [pair for pair in known if pair[0] > rank[key]]
        if after:
            return min(after)[1], False
        return len(keys), bool(keys)

    def delete(self, raw: RawPath) -> bool:
        """Remove the key or item at ``raw``; an emptied mapping becomes ``{}``."""
        slots = self.find(raw)
        if len(slots) != len(raw) or not raw:
            return False
        slot = slots[-1]
        parent = slot.parent
        if isinstance(parent, SequenceNode):
            self.remove_item(raw[:-1], slot.index)
        elif len(parent.entries) > 1 or len(slots) == 1:
            self._remove_member(parent, slot.index)
        else:
            self.replace(raw[:-1], slots[-2], {})
        return True

    # -- lists --------------------------------------------------------------------------

    def insert_item(self, raw: RawPath, index: int, value: Any) -> None:
        """Insert ``value`` at ``index`` of the existing list at ``raw``."""
        slot, seq = self.sequence(raw)
        path = (*raw, index)
        if seq.flow and (seq.items or seq.in_flow):
            self._flow_insert(seq, index, self.render.inline(value, path, flow=True))
        elif not seq.items:  # "[]" in block context becomes a block
            self.replace(raw, slot, [value])
        else:
            found = self.members(seq)
            column = self.tree.lines.column_of(found[0].head)
            new_lines = self.render.item(value, column, path)
            if index == len(found):
                self.insert_after_line(found[-1].last_line, new_lines)
            else:
                self._insert_before(seq, found, index, new_lines, column)

    def remove_item(self, raw: RawPath, index: int) -> None:
        """Remove item ``index`` of the list at ``raw``; the last item leaves ``[]``."""
        slot, seq = self.sequence(raw)
        if len(seq.items) == 1 and not seq.flow:
            self.replace(raw, slot, [])
        else:
            self._remove_member(seq, index)

    def move_item(self, raw: RawPath, src: int, dst: int) -> None:
        """Move item ``src`` so that it ends up at index ``dst``, carrying its text along."""
        _, seq = self.sequence(raw)
        if seq.flow:
            item = seq.items[src]
            item_text = self.text[item.start : item.end]
            self._remove_member(seq, src)
            self._flow_insert(self.sequence(raw)[1], dst, item_text)
            return
        found = self.members(seq)
        if not all(member.at_line_start for member in found):  # compact "- - a": re-emit
            value = construct(seq.items[src])
            self.remove_item(raw, src)
            self.insert_item(raw, dst, value)
            return
        lines, moved = self.tree.lines, found[src]
        first, column = lines.line_of(moved.head), lines.column_of(moved.head)
        block = [lines.content(line) for line in range(first, moved.last_line + 1)]
        self.remove_lines(first, moved.last_line)
        _, seq = self.sequence(raw)
        found = self.members(seq)
        if dst == len(found):
            self.insert_after_line(found[-1].last_line, block)
        else:
            self._insert_before(seq, found, dst, block, column)

    # -- members of collections ---------------------------------------------------------

    def _insert_before(
        self, coll: Collection, found: list[Member], index: int, new_lines: list[str], column: int
    ) -> None:
        member = found[index]
        if member.at_line_start:
            self.insert_before_line(layout.head_line(self.tree, coll, found, index), new_lines)
        else:  # the member shares its line with a "- ": split that line
            new = self.eol.join([new_lines[0][column:], *new_lines[1:]]) + self.eol + " " * column
            self.splice(member.head, member.head, new)

    def _remove_member(self, coll: Collection, index: int) -> None:
        if coll.flow:
            self._flow_remove(coll, index)
            return
        found = self.members(coll)
        member = found[index]
        if member.at_line_start:
            self.remove_lines(self.tree.lines.line_of(member.head), member.last_line)
        else:  # first member on a "- " line: pull the next member up onto that line
            self.splice(member.head, found[index + 1].head, "")

    def _flow_insert(self, coll: Collection, index: int, new: str) -> None:
        spans = layout.flow_spans(coll)
        if not spans:
            at = self._flow_opening(coll) + 1
            self.splice(at, at, new)
        elif index < len(spans):
            self.splice(spans[index][0], spans[index][0], new + ", ")
        else:
            self.splice(spans[-1][1], spans[-1][1], ", " + new)

    def _flow_remove(self, coll: Collection, index: int) -> None:
        spans = layout.flow_spans(coll)
        if len(spans) == 1:
            self.splice(self._flow_opening(coll) + 1, coll.end - 1, "")
        elif index < len(spans) - 1:
            self.splice(spans[index][0], spans[index + 1][0], "")
        else:
            self.splice(spans[index - 1][1], spans[index][1], "")

    def _flow_opening(self, coll: Collection) -> int:
        """Offset of the ``{`` / ``[`` of a flow collection (after any anchor or tag)."""
        return self.text.index("{" if isinstance(coll, MappingNode) else "[", coll.start)


def _words(*parts: str) -> str:
    """The non-empty parts separated by single spaces."""
    return " ".join(part for part in parts if part)


def _lead(*parts: str) -> str:
    """The non-empty parts, each preceded by a space."""
    return "".join(" " + part for part in parts if part)
