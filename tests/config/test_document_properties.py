"""Property tests: random documents in random styles, random edits, checked against a model.

The documents are written by a small independent renderer (random indentation
step, flush or indented sequences, quote styles, flow collections, comments,
CRLF, missing final newline). After every edit the text must load as the
model, and lines the edit has no business touching must be unchanged.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from basalt.config.document import ConfigDocument

KEYS = ["alpha", "beta", "gamma", "DATASETNAME", "PASSES", "name", "k_1", "été", "on", "a b", "7"]
WORDS = [
    "plain",
    "mic=XLON",
    "yes",
    "no",
    "null",
    "~",
    "",
    "a: b",
    "a #b",
    "-x",
    "*star",
    "日本",
    "🚀 go",
    "it's",
    'say "hi"',
    "12",
    "1.5",
    "2025-01-02",
    "two\nlines",
    "  pad",
]
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_=./-]*")
SPECIAL_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "inf", "nan"}

scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
    st.sampled_from(WORDS),
    st.text(max_size=8),
)
keys = st.one_of(st.sampled_from(KEYS), st.text("abcxyz_", min_size=1, max_size=4))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(keys, inner, max_size=3),
    ),
    max_leaves=6,
)


def double_quoted(value: str) -> str:
    """A double-quoted YAML string; anything not printable is a \\u / \\U escape."""

    def escape(char: str) -> str:
        if char in '\\"':
            return "\\" + char
        if char.isprintable() and char != "\ufeff":
            return char
        return f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}"

    return '"' + "".join(escape(c) for c in value) + '"'


@dataclass
class Layout:
    step: int
    seq_indent: int
    eol: str
    final_newline: bool
    wrapped: bool


class Writer:
    """Renders plain data as YAML with random (but valid) style choices."""

    def __init__(self, draw, layout: Layout) -> None:
        self.draw = draw
        self.layout = layout

    def scalar(self, value, flow: bool) -> str:
        if value is None:
            return self.draw(st.sampled_from(["null", "~"]))
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        style = self.draw(st.sampled_from(["plain", "single", "double"]))
        if style == "plain" and PLAIN.fullmatch(value) and value.lower() not in SPECIAL_WORDS:
            return value
        if style == "single" and value.isprintable() and "\ufeff" not in value:
            return "'" + value.replace("'", "''") + "'"
        return double_quoted(value)

    def key(self, key: str) -> str:
        return self.scalar(key, flow=True) if key.lower() not in SPECIAL_WORDS else f'"{key}"'

    def inline(self, value) -> str:
        if isinstance(value, dict):
            return (
                "{" + ", ".join(f"{self.key(k)}: {self.inline(v)}" for k, v in value.items()) + "}"
            )
        if isinstance(value, list):
            return "[" + ", ".join(self.inline(v) for v in value) + "]"
        return self.scalar(value, flow=True)

    def comment_lines(self, indent: int) -> list[str]:
        return [" " * indent + "# note"] if self.draw(st.integers(0, 4)) == 0 else []

    def eol_comment(self) -> str:
        return "  # eol" if self.draw(st.integers(0, 3)) == 0 else ""

    def block(self, value, indent: int) -> list[str]:
        if isinstance(value, dict):
            return [line for k, v in value.items() for line in self.entry(k, v, indent)]
        return [line for item in value for line in self.item(item, indent)]

    def entry(self, key: str, value, indent: int) -> list[str]:
        head = self.comment_lines(indent) + [" " * indent + self.key(key) + ":"]
        if isinstance(value, (dict, list)) and value and self.draw(st.booleans()):
            below = indent + (
                self.layout.seq_indent if isinstance(value, list) else self.layout.step
            )
            head[-1] += self.eol_comment()
            return head + self.block(value, below)
        head[-1] += " " + self.inline(value) + self.eol_comment()
        return head

    def item(self, value, indent: int) -> list[str]:
        lines = self.comment_lines(indent)
        if isinstance(value, dict) and value and self.draw(st.booleans()):
            inner = self.block(value, indent + 2)
            while inner[0].lstrip().startswith("#"):
                lines.append(inner.pop(0))  # comment lines go above the dash
            return lines + [" " * indent + "- " + inner[0][indent + 2 :], *inner[1:]]
        return lines + [" " * indent + "- " + self.inline(value) + self.eol_comment()]

    def document(self, data: dict) -> str:
        layout = self.layout
        if layout.wrapped:
            body = ["USER_CONFIG:"] + self.block(data, layout.step) if data else ["USER_CONFIG: {}"]
        else:
            body = self.block(data, 0)
        lines = ["# generated config"] + body
        return layout.eol.join(lines) + (layout.eol if layout.final_newline else "")


@st.composite
def documents(draw):
    layout = Layout(
        step=draw(st.sampled_from([2, 4])),
        seq_indent=0,
        eol=draw(st.sampled_from(["\n", "\r\n"])),
        final_newline=draw(st.booleans()),
        wrapped=draw(st.booleans()),
    )
    layout.seq_indent = draw(st.sampled_from([0, layout.step]))
    root_keys = st.sampled_from(KEYS).filter(lambda k: k != "USER_CONFIG")
    data = draw(st.dictionaries(root_keys, values, min_size=1, max_size=5))
    return Writer(draw, layout).document(data), data


# -- the model ---------------------------------------------------------------------------------


def all_paths(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*path, k)
            yield from all_paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield (*path, i)
            yield from all_paths(v, (*path, i))


def model_at(data, path):
    for segment in path:
        data = data[segment]
    return data


def model_set(data, path, value):
    for segment in path[:-1]:
        if isinstance(data, dict) and data.get(segment) is None:
            data[segment] = {}
        data = data[segment]
    data[path[-1]] = value


def lines_of(text: str) -> list[str]:
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def stripped_lines(text: str) -> list[str]:
    return [line.rstrip("\r\n") for line in lines_of(text)]


def changes(before: str, after: str) -> list[tuple[str, int, int, int, int]]:
    """Line diff opcodes; line breaks are ignored (the last line gains or loses one when a
    file without a final newline grows or shrinks at its end)."""
    matcher = difflib.SequenceMatcher(
        None, stripped_lines(before), stripped_lines(after), autojunk=False
    )
    return [op for op in matcher.get_opcodes() if op[0] != "equal"]


def starts_its_line(doc: ConfigDocument, path: tuple) -> bool:
    """True when the key or item at ``path`` is the first thing on its line (block style)."""
    line_number, column = doc.location(path)
    line = lines_of(doc.text)[line_number - 1].removeprefix("\ufeff")
    return column - 1 == len(line) - len(line.lstrip(" "))


def block_list(doc: ConfigDocument, path: tuple, size: int) -> bool:
    """True when every item of the list at ``path`` starts its line with its dash."""
    text_lines = lines_of(doc.text)
    return all(
        starts_its_line(doc, (*path, i))
        and text_lines[doc.location((*path, i))[0] - 1].lstrip(" ").startswith("-")
        for i in range(size)
    )


# -- operations ------------------------------------------------------------------------------------


def op_set_leaf(draw, doc, model):
    leaves = [p for p in all_paths(model) if not isinstance(model_at(model, p), (dict, list))]
    if not leaves:
        return
    path = draw(st.sampled_from(leaves))
    old, new = model_at(model, path), draw(scalars)
    before = doc.text
    doc.set(path, new)
    model_set(model, path, new)
    if before != doc.text and not (isinstance(old, str) and "\n" in old):
        old_lines, new_lines = stripped_lines(before), stripped_lines(doc.text)
        assert len(old_lines) == len(new_lines)
        changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
        assert changed == [doc.location(path)[0] - 1], "a scalar edit changes one line"


def op_set_new(draw, doc, model):
    parents = [()] + [p for p in all_paths(model) if isinstance(model_at(model, p), dict)]
    parent = draw(st.sampled_from(parents))
    key = draw(keys.filter(lambda k: k not in model_at(model, parent) and k != "USER_CONFIG"))
    value = draw(values)
    path = (*parent, key)
    before = doc.text
    doc.set(path, value)
    model_set(model, path, value)
    if parent and model_at(model, parent).keys() - {key} and starts_its_line(doc, path):
        assert {op[0] for op in changes(before, doc.text)} == {"insert"}, (
            "a new key only adds lines"
        )


def op_set_value(draw, doc, model):
    paths = list(all_paths(model))
    if not paths:
        return
    path = draw(st.sampled_from(paths))
    value = draw(values)
    doc.set(path, value)
    model_set(model, path, value)


def op_delete(draw, doc, model):
    paths = [p for p in all_paths(model) if isinstance(p[-1], str)]
    if not paths:
        return
    path = draw(st.sampled_from(paths))
    siblings = len(model_at(model, path[:-1]))
    strict = siblings > 1 and starts_its_line(doc, path)
    first_line = doc.location(path)[0] - 1
    before = doc.text
    assert doc.delete(path) is True
    del model_at(model, path[:-1])[path[-1]]
    if strict:
        ((kind, i1, _i2, _j1, _j2),) = changes(before, doc.text)
        assert kind == "delete" and i1 == first_line, "a deleted key only removes its own lines"


def list_paths(model):
    return [p for p in all_paths(model) if isinstance(model_at(model, p), list)]


def op_insert(draw, doc, model):
    lists = list_paths(model)
    if not lists:
        return
    path = draw(st.sampled_from(lists))
    items = model_at(model, path)
    index = draw(st.integers(0, len(items)))
    value = draw(values)
    doc.insert(path, index, value)
    items.insert(index, value)


def op_remove(draw, doc, model):
    lists = [p for p in list_paths(model) if model_at(model, p)]
    if not lists:
        return
    path = draw(st.sampled_from(lists))
    items = model_at(model, path)
    index = draw(st.integers(0, len(items) - 1))
    doc.remove(path, index)
    del items[index]


def op_move(draw, doc, model):
    lists = [p for p in list_paths(model) if len(model_at(model, p)) > 1]
    if not lists:
        return
    path = draw(st.sampled_from(lists))
    items = model_at(model, path)
    src, dst = draw(st.integers(0, len(items) - 1)), draw(st.integers(0, len(items) - 1))
    before, block = doc.text, block_list(doc, path, len(items))
    doc.move(path, src, dst)
    items.insert(dst, items.pop(src))
    if block:

        def content(text):
            return sorted(line.rstrip("\r\n") for line in lines_of(text))

        assert content(before) == content(doc.text), "a block move only reorders lines"


OPERATIONS = [
    op_set_leaf,
    op_set_leaf,
    op_set_new,
    op_set_value,
    op_delete,
    op_insert,
    op_remove,
    op_move,
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_random_edits_match_the_model(document, data):
    text, model = document
    doc = ConfigDocument.loads(text)
    assert doc.dumps() == text
    assert doc.data() == model
    crlf = "\r\n" in text
    for _ in range(data.draw(st.integers(1, 6))):
        operation = data.draw(st.sampled_from(OPERATIONS))
        operation(data.draw, doc, model)
        assert ConfigDocument.loads(doc.text).data() == model
        assert doc.data() == model
        if crlf:
            assert not re.search(r"(?<!\r)\n", doc.text), "inserted lines use the file's CRLF"
        else:
            assert "\r" not in doc.text
