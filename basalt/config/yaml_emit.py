"""Write new YAML text in the style a file already uses.

:func:`detect_style` measures a parsed file (line ending, indentation step,
whether sequences are indented under their key, preferred quote); a
:class:`Renderer` turns plain values into lines of YAML in that style. Strings
are written plain only when they read back as the same string; block scalars
are checked by parsing them back, and fall back to double quotes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode as _RuamelScalar
from ruamel.yaml.resolver import VersionedResolver

from basalt.config.yaml_tree import MappingNode, Node, ScalarNode, SequenceNode, Tree

KeyOrder = Callable[[tuple], Sequence[str]]
# A plain string must read back as a string under YAML 1.2 and under YAML 1.1
# (PyYAML and older tools read ``yes``/``no``/``on``/``off`` and ``12:30`` otherwise).
_RESOLVERS = (VersionedResolver(version=(1, 2)), VersionedResolver(version=(1, 1)))
_STR_TAG = "tag:yaml.org,2002:str"
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = set(",[]{}")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


@dataclass(frozen=True)
class Style:
    """How a file writes YAML.

    ``step``: indentation of a nested mapping under its key; ``seq_indent``:
    column of a sequence's dashes relative to its key (0 = flush);
    ``item_indent``: column of a mapping's keys relative to the dash of the
    sequence item holding it (2 for ``- name: x``, 4 for ``-   name: x``);
    ``quote``: the quote character used when a string must be quoted;
    ``flow_lists``: new lists of plain scalars are written ``[a, b]`` (files that
    write such lists as blocks get blocks).
    """

    eol: str = "\n"
    step: int = 2
    seq_indent: int = 2
    item_indent: int = 2
    quote: str = '"'
    flow_lists: bool = True


def detect_style(tree: Tree, default_eol: str = "\n") -> Style:
    """The style of ``tree``'s text, with defaults for whatever the file does not show."""
    text, lines = tree.text, tree.lines
    first_break = re.search(r"\r\n|\r|\n", text)
    eol = first_break.group(0) if first_break else default_eol
    map_steps: Counter[int] = Counter()
    seq_steps: Counter[int] = Counter()
    item_steps: Counter[int] = Counter()
    quotes: Counter[str] = Counter()
    scalar_lists: Counter[bool] = Counter()
    for node in _walk(tree.root):
        if isinstance(node, SequenceNode) and node.items:
            if all(isinstance(item, ScalarNode) for item in node.items):
                scalar_lists[node.flow] += 1
        if isinstance(node, ScalarNode) and node.style in ("'", '"'):
            quotes[node.style] += 1
        if isinstance(node, SequenceNode) and not node.flow and text[node.start] == "-":
            dash_column = lines.column_of(node.start)
            for item in node.items:
                if isinstance(item, MappingNode) and not item.flow and item.entries:
                    item_steps[lines.column_of(item.entries[0][0].start) - dash_column] += 1
        if not isinstance(node, MappingNode) or node.flow:
            continue
        for key, value in node.entries:
            key_column = lines.column_of(key.start)
            if isinstance(value, MappingNode) and not value.flow and value.entries:
                step = lines.column_of(value.entries[0][0].start) - key_column
                if step > 0:
                    map_steps[step] += 1
            elif isinstance(value, SequenceNode) and not value.flow:
                seq_steps[lines.column_of(value.start) - key_column] += 1
    indented_seqs = Counter({k: n for k, n in seq_steps.items() if k > 0})
    step = _most_common(map_steps, default=_most_common(indented_seqs, default=2))
    seq_indent = _most_common(seq_steps, default=step)
    item_indent = _most_common(Counter({k: n for k, n in item_steps.items() if k >= 2}), default=2)
    quote = "'" if quotes["'"] > quotes['"'] else '"'
    flow_lists = scalar_lists[True] >= scalar_lists[False]
    return Style(eol, step, seq_indent, item_indent, quote, flow_lists)


def _most_common(counts: Counter[int], default: int) -> int:
    if not counts:
        return default
    return max(counts, key=lambda k: (counts[k], -k))


def _walk(node: Node | None):
    if node is None:
        return
    yield node
    if isinstance(node, MappingNode):
        for key, value in node.entries:
            yield key
            yield from _walk(value)
    elif isinstance(node, SequenceNode):
        for item in node.items:
            yield from _walk(item)


def is_block(value: Any) -> bool:
    """True for values written as indented blocks: non-empty mappings and lists."""
    return isinstance(value, (dict, list)) and bool(value)


FLOW_LIST_WIDTH = 60


def is_short_scalar_list(value: Any) -> bool:
    """A new list of plain scalars (``[trade, l2]``) is written in flow style, as people do."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(not isinstance(v, (dict, list)) and not is_multiline(v) for v in value)
    )


def is_multiline(value: Any) -> bool:
    """True for strings that span several lines."""
    return isinstance(value, str) and "\n" in value


def plain_ok(text: str, flow: bool = False) -> bool:
    """True when ``text`` can be written unquoted and reads back as the same string."""
    if not text or text != text.strip(" ") or not text.isprintable() or "\ufeff" in text:
        return False
    first = text[0]
    if first in _INDICATORS and not (first == "-" and len(text) > 1 and text[1] != " "):
        return False
    if text.startswith(("---", "...")) or ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and (_FLOW_CHARS & set(text) or ":" in text):
        return False
    if not all(str(r.resolve(_RuamelScalar, text, (True, False))) == _STR_TAG for r in _RESOLVERS):
        return False
    return _parses_as(f"[{text}]" if flow else f"k: {text}", [text] if flow else {"k": text})


def _parses_as(probe: str, expected: Any) -> bool:
    """True when ``probe`` parses (with the parser in use) to ``expected``."""
    try:
        return YAML(typ="safe", pure=False).load(probe) == expected
    except YAMLError:
        return False


def double_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (escapes for anything not printable)."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable() and char != "\ufeff":
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def single_quoted(text: str) -> str | None:
    """``text`` as a single-quoted YAML scalar, or None when it needs escapes."""
    if not text.isprintable() or "\ufeff" in text:
        return None
    return "'" + text.replace("'", "''") + "'"


def render_scalar(value: Any, *, quote: str = '"', prefer: str = "", flow: bool = False) -> str:
    """One-line YAML text of a scalar.

    Strings keep the style ``prefer`` ("" plain, ``'`` or ``"``) when it can
    hold them; a string that cannot be plain uses ``quote`` (the file's usual
    quote); anything single quotes cannot hold gets double quotes.
    """
    if isinstance(value, str):
        if prefer == "" and plain_ok(value, flow):
            return value
        if (prefer or quote) == "'" and (quoted := single_quoted(value)) is not None:
            return quoted
        return double_quoted(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write a {type(value).__name__} value to a YAML config file")


def block_scalar(text: str, indicator: str, indent: int) -> list[str] | None:
    """``text`` as a block scalar: header line (e.g. ``|-``) then content lines.

    Content lines are indented by ``indent`` columns; the lines carry no line
    break. Returns None when the text cannot be written in that style (then
    quote it instead). The result is checked by parsing it back.
    """
    if "\r" in text or any(not (c.isprintable() or c == "\n") for c in text):
        return None
    body = text[:-1] if text.endswith("\n") else text
    chomp = "+" if body.endswith("\n") else ("" if text.endswith("\n") else "-")
    lines = body.split("\n")
    if not any(line.strip() for line in lines) or lines[0].startswith((" ", "\t")):
        return None  # the content indentation could not be told from the first line
    if indicator == ">":
        folded = _folded_lines(lines)
        if folded is None:
            return None
        lines = folded
    rendered = [indicator + chomp, *(" " * indent + line if line else "" for line in lines)]
    probe = "k: " + "\n".join(rendered) + "\n"
    return rendered if indent > 0 and _parses_as(probe, {"k": text}) else None


def _folded_lines(lines: list[str]) -> list[str] | None:
    """Source lines of a folded scalar whose value joins ``lines`` with line breaks.

    In folded style a single line break reads as a space, so each break
    between content lines is written as one extra empty line.
    """
    if any(line.startswith((" ", "\t")) for line in lines) or not lines[0]:
        return None
    last_content = max(i for i, line in enumerate(lines) if line)
    out = [lines[0]]
    for i in range(1, len(lines)):
        if lines[i - 1] and i <= last_content:
            out.append("")
        out.append(lines[i])
    return out


class Renderer:
    """Turns plain values into YAML lines in a file's :class:`Style`.

    ``key_order(path)`` gives the preferred key order of the mapping at ``path``;
    new mappings are written in that order (unknown keys last, as given).
    """

    def __init__(self, style: Style, key_order: KeyOrder | None = None) -> None:
        self.style = style
        self.key_order = key_order

    def ordered(self, value: dict, path: tuple) -> list[str]:
        """Keys of ``value`` in schema order."""
        order = list(self.key_order(path)) if self.key_order is not None else []
        rank = {key: i for i, key in enumerate(order)}
        return sorted(value, key=lambda k: rank.get(k, len(rank)))

    def key(self, key: str, flow: bool = False) -> str:
        """A mapping key, quoted only when needed."""
        return render_scalar(key, quote=self.style.quote, flow=flow)

    def inline(self, value: Any, path: tuple = (), flow: bool = False) -> str:
        """One-line YAML: scalars, ``[]``/``{}``, and flow collections for the rest."""
        if isinstance(value, dict):
            keys = self.ordered(value, path)
            inner = (
                f"{self.key(k, True)}: {self.inline(value[k], (*path, k), True)}" for k in keys
            )
            return "{" + ", ".join(inner) + "}"
        if isinstance(value, list):
            return (
                "[" + ", ".join(self.inline(v, (*path, i), True) for i, v in enumerate(value)) + "]"
            )
        return render_scalar(value, quote=self.style.quote, flow=flow)

    def block(self, value: Any, indent: int, path: tuple) -> list[str]:
        """Lines of a non-empty mapping or list whose keys / dashes start at ``indent``."""
        if isinstance(value, dict):
            return [
                line
                for k in self.ordered(value, path)
                for line in self.entry(k, value[k], indent, (*path, k))
            ]
        return [
            line for i, item in enumerate(value) for line in self.item(item, indent, (*path, i))
        ]

    def entry(self, key: str, value: Any, indent: int, path: tuple) -> list[str]:
        """Lines of one ``key: value`` mapping entry at column ``indent``."""
        head = " " * indent + self.key(key) + ":"
        if self.style.flow_lists and is_short_scalar_list(value):
            flow = self.inline(value, path)
            if len(flow) <= FLOW_LIST_WIDTH:
                return [f"{head} {flow}"]
        if is_block(value):
            below = indent + (self.style.seq_indent if isinstance(value, list) else self.style.step)
            return [head, *self.block(value, below, path)]
        return self.attach(head, value, indent + self.style.step, path)

    def item(self, value: Any, indent: int, path: tuple) -> list[str]:
        """Lines of one ``- value`` sequence item with its dash at column ``indent``."""
        if is_block(value):
            inner = indent + self.style.item_indent
            lines = self.block(value, inner, path)
            return [" " * indent + "-".ljust(inner - indent) + lines[0][inner:], *lines[1:]]
        return self.attach(" " * indent + "-", value, indent + 2, path)

    def attach(self, head: str, value: Any, indent: int, path: tuple) -> list[str]:
        """``head`` followed by a scalar: inline, or as a literal block scalar if multi-line."""
        if is_multiline(value):
            lines = block_scalar(value, "|", indent)
            if lines is not None:
                return [f"{head} {lines[0]}", *lines[1:]]
        return [f"{head} {self.inline(value, path)}"]
