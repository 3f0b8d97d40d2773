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

Limits: a config file is a few dozen values, so anything far bigger is refused
before it can cost much time or memory (see :data:`MAX_DEPTH` and the other
limits below). The sizes are counted while composing, from the sizes of the
nodes already built: an alias bomb is refused at its first alias that goes over,
without expanding anything.
"""

from __future__ import annotations

import bisect
import os
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

MAX_BYTES_ENV = "BASALT_MAX_CONFIG_BYTES"
DEFAULT_MAX_BYTES = 1 << 20
"""Config files are a few KiB; 1 MiB leaves room for generated ones."""
MAX_DEPTH = 100
"""Lists and mappings nested deeper than this are refused. Real configs nest about six
levels; 100 keeps every recursive reader of the data (construction, the editors, the
schema validation) far below Python's recursion limit, even from a deep call stack."""
MAX_VALUES = 10_000
"""Values (keys, scalars, lists, mappings) a document may build, aliases expanded. The demos
hold under 100 and a 1,000-line config about 2,800. Composing, resolving and validating cost
about 40 microseconds a value, so this bounds the time of every file, accepted or refused,
to well under a second, however its bytes are spent."""
ALIAS_RATIO = 50
"""Aliases may add at most this many values per value written in the file..."""
ALIAS_FREE = 1_000
"""...except in a document whose whole data stays under this many values."""


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
    size: int = field(default=1, repr=False)
    """Values in the node's data once aliases are expanded (a scalar is 1)."""
    height: int = field(default=0, repr=False)
    """Levels of lists and mappings in the node's data once aliases are expanded."""


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
    """Parse ``text`` into a :class:`Tree`; raise :class:`DocumentError` on any problem.

    Hostile input is refused early (texts come from disk and from the editors alike): a text
    over :func:`max_config_bytes`, nesting deeper than :data:`MAX_DEPTH`, data of more than
    :data:`MAX_VALUES` values, or aliases that would add more than :data:`ALIAS_RATIO` times
    the values written.
    """
    limit = max_config_bytes(source)
    if len(text) > limit // 4:  # a code point is at most 4 bytes: shorter texts fit
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise size_error(size, limit, source)
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
    except RecursionError:  # the depth limit should come first; never let it escape
        raise composer.error(_too_deep(), composer.last_index) from None
    return Tree(text, lines, root, composer.has_aliases)


def max_config_bytes(source: str | Path | None = None) -> int:
    """The size limit of a config file: ``BASALT_MAX_CONFIG_BYTES`` or 1 MiB.

    A value that is not a positive whole number is an error rather than a silent
    fallback: whoever set it expects a different limit.
    """
    raw = os.environ.get(MAX_BYTES_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise DocumentError(
            f"{MAX_BYTES_ENV}={raw!r} is not a size in bytes (a whole number, e.g. 2097152)",
            source,
        )
    return value


def size_error(size: int | None, limit: int, source: str | Path | None) -> DocumentError:
    """The refusal of a file of ``size`` bytes (``None``: unknown, but over ``limit``)."""
    cap = _human_size(limit)
    shown = _human_size(size) if size is not None else f"more than {cap}"
    if shown == cap:  # 1,048,577 bytes is "1.0 MiB" too
        shown, cap = f"{size:,} bytes", f"{limit:,} bytes"
    return DocumentError(
        f"the file is {shown}; config files may be at most {cap}"
        f" (set {MAX_BYTES_ENV} to raise the limit)",
        source,
        1,
        1,
    )


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1 << 20:
        return f"{size / 1024:.1f} KiB"
    if size < 1 << 30:
        return f"{size / (1 << 20):.1f} MiB"
    return f"{size / (1 << 30):.1f} GiB"


def _too_deep() -> str:
    return f"too deeply nested: lists and mappings may nest at most {MAX_DEPTH} levels"


def _shown(text: str, limit: int = 40) -> str:
    """``text`` cut for a one-line message (a hostile file can hold a megabyte-long value)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    """Turns parser events into :class:`Node` objects with absolute offsets.

    Counts as it goes: ``written`` values read from events, ``aliased`` values that aliases
    add (an alias adds its target's whole :attr:`Node.size`). Events are pulled one at a
    time, so a refusal stops the parser too.
    """

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
        self.written = 0
        self.aliased = 0
        self.last_index = 0

    def compose(self, event_stream: Any) -> Node | None:
        """Compose the single document of the stream (None for an empty stream)."""
        self.events = iter(event_stream)
        next(self.events)  # StreamStartEvent
        event = next(self.events)
        if isinstance(event, events.StreamEndEvent):
            return None
        root = self.node(next(self.events), in_flow=False, depth=0)
        next(self.events)  # DocumentEndEvent
        extra = next(self.events)
        if isinstance(extra, events.DocumentStartEvent):
            raise self.error("the file holds more than one YAML document", extra.start_mark.index)
        return root

    def error(self, message: str, index: int) -> DocumentError:
        return _error_at(message, index + self.bom, self.lines, self.source)

    def too_many(self, event: Any) -> DocumentError:
        return self.error(
            f"too many values: a config file may hold at most {MAX_VALUES:,}"
            " (keys, values, lists and mappings)",
            event.start_mark.index,
        )

    def node(self, event: Any, in_flow: bool, depth: int) -> Node:
        if isinstance(event, events.AliasEvent):
            return self.alias(event, in_flow, depth)
        if isinstance(event, events.ScalarEvent):
            return self.scalar(event, in_flow)
        if isinstance(event, events.SequenceStartEvent):
            return self.sequence(event, in_flow, depth)
        return self.mapping(event, in_flow, depth)

    def alias(self, event: Any, in_flow: bool, depth: int) -> AliasNode:
        name = _shown(event.anchor)
        target = self.anchors.get(event.anchor)
        if target is None:
            raise self.error(f"undefined alias '*{name}'", event.start_mark.index)
        if id(target) in self.open_nodes:
            raise self.error(f"recursive alias '*{name}'", event.start_mark.index)
        if depth + target.height > MAX_DEPTH:
            raise self.error(
                f"too deeply nested: the alias '*{name}' here would nest lists and mappings"
                f" more than {MAX_DEPTH} levels deep",
                event.start_mark.index,
            )
        self.aliased += target.size
        total = self.written + self.aliased
        if total > MAX_VALUES:
            why = f"more than {MAX_VALUES:,} values in all"
        elif self.aliased > ALIAS_RATIO * self.written and total >= ALIAS_FREE:
            why = (
                f"more than {ALIAS_RATIO * self.written:,} values, {ALIAS_RATIO} per value written"
            )
        else:
            why = None
        if why is not None:
            raise self.error(
                f"too much aliasing: the aliases here would build {why} (YAML bomb?)",
                event.start_mark.index,
            )
        self.has_aliases = True
        start, end = event.start_mark.index + self.bom, event.end_mark.index + self.bom
        return AliasNode(
            start, end, None, in_flow, size=target.size, height=target.height, target=target
        )

    def register(self, event: Any, node: Node) -> None:
        if event.anchor is not None:
            self.anchors[event.anchor] = node

    def scalar(self, event: Any, in_flow: bool) -> ScalarNode:
        self.written += 1
        if self.written + self.aliased > MAX_VALUES:
            raise self.too_many(event)
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
                f"cannot read {_shown(event.value)!r} as {tag.rsplit(':', 1)[-1]}:"
                f" {_shown(str(exc), 200)}",
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

    def open_collection(self, event: Any, depth: int) -> None:
        self.last_index = event.start_mark.index
        if depth >= MAX_DEPTH:
            raise self.error(_too_deep(), event.start_mark.index)
        self.written += 1
        if self.written + self.aliased > MAX_VALUES:
            raise self.too_many(event)

    def sequence(self, event: Any, in_flow: bool, depth: int) -> SequenceNode:
        if event.tag not in _SEQ_TAGS:
            raise self.error(_unsupported(event.tag), event.start_mark.index)
        self.open_collection(event, depth)
        flow = bool(event.flow_style)
        node = SequenceNode(event.start_mark.index + self.bom, 0, event.anchor, in_flow, flow=flow)
        self.register(event, node)
        self.open_nodes.add(id(node))
        size, height = 1, 0
        event = next(self.events)
        while not isinstance(event, events.SequenceEndEvent):
            item = self.node(event, in_flow or flow, depth + 1)
            node.items.append(item)
            size += item.size
            height = max(height, item.height)
            event = next(self.events)
        self.open_nodes.discard(id(node))
        node.size, node.height = size, height + 1
        node.end = self.collection_end(node, event, [item.end for item in node.items])
        return node

    def mapping(self, event: Any, in_flow: bool, depth: int) -> MappingNode:
        if event.tag not in _MAP_TAGS:
            raise self.error(_unsupported(event.tag), event.start_mark.index)
        self.open_collection(event, depth)
        flow = bool(event.flow_style)
        node = MappingNode(event.start_mark.index + self.bom, 0, event.anchor, in_flow, flow=flow)
        self.register(event, node)
        self.open_nodes.add(id(node))
        seen: dict[Any, ScalarNode] = {}
        size, height = 1, 0
        event = next(self.events)
        while not isinstance(event, events.MappingEndEvent):
            key = self.key(event, in_flow or flow, seen)
            value = self.node(next(self.events), in_flow or flow, depth + 1)
            if isinstance(value, ScalarNode) and value.start == value.end and not value.tagged:
                value.start = value.end = self.after_colon(key)
            node.entries.append((key, value))
            size += 1 + value.size
            height = max(height, value.height)
            event = next(self.events)
        self.open_nodes.discard(id(node))
        node.size, node.height = size, height + 1
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
                f"duplicate key '{_shown(event.value)}'"
                f" (first defined at line {self.lines.line_of(first.start) + 1})",
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
