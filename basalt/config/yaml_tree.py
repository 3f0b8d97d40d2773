"""Parse YAML text into a tree of nodes that know their exact source spans.

The tree is built from ruamel.yaml's parser events (its C parser when
available). Every node records character offsets into the original text, so
editors can splice new text at exactly the right place. Scalars are resolved
and constructed the way ``YAML(typ="safe")`` does (YAML 1.2 core schema plus
timestamps), but YAML never builds arbitrary Python objects: any other tag is
refused.

Offsets: libyaml's ``Mark.index`` counts code points (not UTF-8 bytes), and a
CRLF pair counts as two, so it indexes the Python string directly. The one
exception is a leading byte-order mark, which the parser skips without
counting; the BOM is stripped before parsing and added back to every offset.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML, events
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode as _RuamelScalar
from ruamel.yaml.reader import ReaderError

from basalt.config.yaml_errors import DocumentError

_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_SCALAR_TAGS = {_STR, *(_CORE + name for name in ("null", "bool", "int", "float", "timestamp"))}
_MAP_TAGS = {None, "!", _CORE + "map"}
_SEQ_TAGS = {None, "!", _CORE + "seq"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"


class LineIndex:
    """Line numbers and line boundaries of a text (``\\r\\n``, ``\\r`` and ``\\n`` breaks).

    A text ending with a line break has a final empty line. A leading BOM is not
    part of line 0, so columns on the first line are not shifted by it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [1 if text.startswith(BOM) else 0]
        self.starts.extend(m.end() for m in _LINE_BREAK.finditer(text))

    @property
    def count(self) -> int:
        """Number of lines (including the empty line after a final line break)."""
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """0-based line holding ``offset``."""
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)

    def column_of(self, offset: int) -> int:
        """0-based column (in characters) of ``offset``."""
        return offset - self.starts[self.line_of(offset)]

    def start(self, line: int) -> int:
        """Offset of the first character of ``line``."""
        return self.starts[line]

    def next_start(self, line: int) -> int:
        """Offset just past the line break of ``line`` (end of text for the last line)."""
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)

    def end(self, line: int) -> int:
        """Offset of the line break ending ``line`` (or of the end of text)."""
        stop = self.next_start(line)
        text = self.text
        if stop > self.starts[line] and text[stop - 1] == "\n":
            stop -= 1
        if stop > self.starts[line] and text[stop - 1] == "\r":
            stop -= 1
        return stop

    def content(self, line: int) -> str:
        """Text of ``line`` without its line break."""
        return self.text[self.starts[line] : self.end(line)]


@dataclass(eq=False)
class Node:
    """A node of the YAML tree; ``[start, end)`` is its source span.

    ``start`` includes the node's properties (anchor, tag). For block
    collections ``end`` is the end of their last child, for block scalars the
    end of their last non-blank line (keep-chomped ``|+`` scalars keep their
    trailing blank lines but not the final line break).
    """

    start: int
    end: int
    anchor: str | None
    in_flow: bool


@dataclass(eq=False)
class ScalarNode(Node):
    """A scalar; ``style`` is ``""`` (plain), ``'``, ``"``, ``|`` or ``>``."""

    value: Any = None
    style: str = ""
    tagged: bool = False


@dataclass(eq=False)
class MappingNode(Node):
    """A mapping; keys are always scalars."""

    flow: bool = False
    entries: list[tuple[ScalarNode, Node]] = field(default_factory=list)


@dataclass(eq=False)
class SequenceNode(Node):
    """A sequence."""

    flow: bool = False
    items: list[Node] = field(default_factory=list)


@dataclass(eq=False)
class AliasNode(Node):
    """An alias (``*name``); ``target`` is the anchored node it refers to."""

    target: Node | None = None


@dataclass
class Tree:
    """A parsed document: its text, its lines and its root node (None when empty)."""

    text: str
    lines: LineIndex
    root: Node | None
    has_aliases: bool


def deref(node: Node) -> Node:
    """The node itself, or the anchored node an alias refers to."""
    while isinstance(node, AliasNode):
        assert node.target is not None
        node = node.target
    return node


def construct(node: Node) -> Any:
    """Plain Python value of ``node`` (fresh containers; aliases are copied)."""
    node = deref(node)
    if isinstance(node, MappingNode):
        return {key.value: construct(value) for key, value in node.entries}
    if isinstance(node, SequenceNode):
        return [construct(item) for item in node.items]
    assert isinstance(node, ScalarNode)
    return node.value


def parse(text: str, source: str | Path | None = None) -> Tree:
    """Parse ``text`` into a :class:`Tree`; raise :class:`DocumentError` on any problem."""
    lines = LineIndex(text)
    bom = 1 if text.startswith(BOM) else 0
    yaml = YAML(typ="safe", pure=False)
    composer = _Composer(text, bom, lines, source, yaml)
    try:
        root = composer.compose(yaml.parse(text[bom:]))
    except MarkedYAMLError as exc:
        raise _marked_error(exc, text, bom, lines, source) from None
    except ReaderError as exc:
        raise _error_at(f"{exc.reason}", exc.position + bom, lines, source) from None
    except YAMLError as exc:
        raise DocumentError(f"invalid YAML: {exc}", source) from None
    return Tree(text, lines, root, composer.has_aliases)


def _error_at(
    message: str, offset: int, lines: LineIndex, source: str | Path | None
) -> DocumentError:
    offset = min(max(offset, 0), len(lines.text))
    return DocumentError(message, source, lines.line_of(offset) + 1, lines.column_of(offset) + 1)


def _marked_error(
    exc: MarkedYAMLError, text: str, bom: int, lines: LineIndex, source: str | Path | None
) -> DocumentError:
    mark = exc.problem_mark or exc.context_mark
    offset = mark.index + bom if mark is not None else 0
    message = exc.problem or exc.context or "invalid YAML"
    if offset < len(text) and text[offset] == "\t":
        message = "tab characters cannot be used for indentation"
    elif exc.context and exc.context_mark is not None and exc.problem:
        where = exc.context_mark.index + bom
        message += (
            f" ({exc.context} that starts at line {lines.line_of(where) + 1},"
            f" column {lines.column_of(where) + 1})"
        )
    if mark is None:
        return DocumentError(message, source)
    return _error_at(message, offset, lines, source)


class _Composer:
    """Turns parser events into :class:`Node` objects with absolute offsets."""

    def __init__(
        self, text: str, bom: int, lines: LineIndex, source: str | Path | None, yaml: YAML
    ) -> None:
        self.text = text
        self.bom = bom
        self.lines = lines
        self.source = source
        self.resolver = yaml.resolver
        self.constructor = yaml.constructor
        self.anchors: dict[str, Node] = {}
        self.open_nodes: set[int] = set()
        self.has_aliases = False
        self.plain_tags: dict[str, str] = {}
        self.events: Any = None

    def compose(self, event_stream: Any) -> Node | None:
        """Compose the single document of the stream (None for an empty stream)."""
        self.events = iter(event_stream)
        next(self.events)  # StreamStartEvent
        event = next(self.events)
        if isinstance(event, events.StreamEndEvent):
            return None
        root = self.node(next(self.events), in_flow=False)
        next(self.events)  # DocumentEndEvent
        extra = next(self.events)
        if isinstance(extra, events.DocumentStartEvent):
            raise self.error("the file holds more than one YAML document", extra.start_mark.index)
        return root

    def error(self, message: str, index: int) -> DocumentError:
        return _error_at(message, index + self.bom, self.lines, self.source)

    def node(self, event: Any, in_flow: bool) -> Node:
        if isinstance(event, events.AliasEvent):
            return self.alias(event, in_flow)
        if isinstance(event, events.ScalarEvent):
            return self.scalar(event, in_flow)
        if isinstance(event, events.SequenceStartEvent):
            return self.sequence(event, in_flow)
        return self.mapping(event, in_flow)

    def alias(self, event: Any, in_flow: bool) -> AliasNode:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise self.error(f"undefined alias '*{event.anchor}'", event.start_mark.index)
        if id(target) in self.open_nodes:
            raise self.error(f"recursive alias '*{event.anchor}'", event.start_mark.index)
        self.has_aliases = True
        start, end = event.start_mark.index + self.bom, event.end_mark.index + self.bom
        return AliasNode(start, end, None, in_flow, target=target)

    def register(self, event: Any, node: Node) -> None:
        if event.anchor is not None:
            self.anchors[event.anchor] = node

    def scalar(self, event: Any, in_flow: bool) -> ScalarNode:
        start = event.start_mark.index + self.bom
        end = event.end_mark.index + self.bom
        style = event.style or ""
        if style in ("|", ">"):
            end = self.block_scalar_end(start, end)
        tag = self.scalar_tag(event)
        try:
            value = self.constructor.yaml_constructors[tag](
                self.constructor, _RuamelScalar(tag, event.value, style=event.style)
            )
        except Exception as exc:  # any failure of a core constructor means a bad value
            raise self.error(
                f"cannot read {event.value!r} as {tag.rsplit(':', 1)[-1]}: {exc}",
                event.start_mark.index,
            ) from None
        node = ScalarNode(
            start,
            end,
            event.anchor,
            in_flow,
            value=value,
            style=style,
            tagged=event.tag is not None,
        )
        self.register(event, node)
        return node

    def scalar_tag(self, event: Any) -> str:
        tag = event.tag
        if tag in (None, "!"):
            if tag is None and event.implicit[0]:
                return self.plain_tag(event.value)
            return _STR
        if tag not in _SCALAR_TAGS:
            raise self.error(_unsupported(tag), event.start_mark.index)
        return tag

    def plain_tag(self, value: str) -> str:
        """The YAML 1.2 core tag of a plain scalar (memoised: config files repeat values)."""
        tag = self.plain_tags.get(value)
        if tag is None:
            tag = str(self.resolver.resolve(_RuamelScalar, value, (True, False)))
            # '=' and '<<' resolve to YAML 1.1 "value" / "merge" tags: they are strings here.
            tag = tag if tag in _SCALAR_TAGS else _STR
            self.plain_tags[value] = tag
        return tag

    def block_scalar_end(self, start: int, end: int) -> int:
        """End of a block scalar without its trailing blank lines and last line break.

        Keep-chomped scalars (``|+``) own their trailing blank lines: only the
        last line break is left out.
        """
        text = self.text
        if "+" in text[start:end].split("\n", 1)[0].split("#", 1)[0]:
            return _strip_one_break(text, start, end)
        while True:
            stripped = _strip_one_break(text, start, end)
            if stripped == end:
                return end
            brk = max(text.rfind("\n", start, stripped), text.rfind("\r", start, stripped))
            if brk < 0 or text[brk + 1 : stripped].strip(" \t"):
                return stripped
            end = brk + 1

    def sequence(self, event: Any, in_flow: bool) -> SequenceNode:
        if event.tag not in _SEQ_TAGS:
            raise self.error(_unsupported(event.tag), event.start_mark.index)
        flow = bool(event.flow_style)
        node = SequenceNode(event.start_mark.index + self.bom, 0, event.anchor, in_flow, flow=flow)
        self.register(event, node)
        self.open_nodes.add(id(node))
        event = next(self.events)
        while not isinstance(event, events.SequenceEndEvent):
            node.items.append(self.node(event, in_flow or flow))
            event = next(self.events)
        self.open_nodes.discard(id(node))
        node.end = self.collection_end(node, event, [item.end for item in node.items])
        return node

    def mapping(self, event: Any, in_flow: bool) -> MappingNode:
        if event.tag not in _MAP_TAGS:
            raise self.error(_unsupported(event.tag), event.start_mark.index)
        flow = bool(event.flow_style)
        node = MappingNode(event.start_mark.index + self.bom, 0, event.anchor, in_flow, flow=flow)
        self.register(event, node)
        self.open_nodes.add(id(node))
        seen: dict[Any, ScalarNode] = {}
        event = next(self.events)
        while not isinstance(event, events.MappingEndEvent):
            key = self.key(event, in_flow or flow, seen)
            value = self.node(next(self.events), in_flow or flow)
            if isinstance(value, ScalarNode) and value.start == value.end and not value.tagged:
                value.start = value.end = self.after_colon(key)
            node.entries.append((key, value))
            event = next(self.events)
        self.open_nodes.discard(id(node))
        node.end = self.collection_end(node, event, [max(k.end, v.end) for k, v in node.entries])
        return node

    def key(self, event: Any, in_flow: bool, seen: dict[Any, ScalarNode]) -> ScalarNode:
        if not isinstance(event, events.ScalarEvent):
            raise self.error(
                "only plain keys are supported (no lists, mappings or aliases as keys)",
                event.start_mark.index,
            )
        if event.tag is None and event.implicit[0] and event.value == "<<":
            raise self.error("merge keys ('<<') are not supported", event.start_mark.index)
        key = self.scalar(event, in_flow)
        first = seen.get(key.value)
        if first is not None:
            raise self.error(
                f"duplicate key '{event.value}' (first defined at line {self.lines.line_of(first.start) + 1})",
                event.start_mark.index,
            )
        seen[key.value] = key
        return key

    def after_colon(self, key: ScalarNode) -> int:
        """Where an empty value sits: just after its key's ``:`` (or the key, in ``{a, b}``).

        The C and pure-Python parsers place empty scalars differently; this
        puts both in the same place.
        """
        pos = key.end
        while pos < len(self.text) and self.text[pos] in " \t\r\n":
            pos += 1
        return pos + 1 if self.text[pos : pos + 1] == ":" else key.end

    def collection_end(self, node: Node, end_event: Any, child_ends: list[int]) -> int:
        if getattr(node, "flow", False):
            return end_event.end_mark.index + self.bom
        return max(child_ends, default=node.start)


def _unsupported(tag: str) -> str:
    shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
    return f"unsupported tag '{shown}' (only plain YAML values are allowed)"


def _strip_one_break(text: str, start: int, end: int) -> int:
    if end > start and text[end - 1] == "\n":
        end -= 1
    if end > start and text[end - 1] == "\r":
        end -= 1
    return end
