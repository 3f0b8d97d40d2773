"""ConfigDocument refuses bad files with a precise message and never damages a file."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from basalt.config.document import ConfigDocument, DocumentError

BAD_TEXT = {
    # name: (text, line, column, message pattern)
    "tab_indent": ("A:\n\tb: 1\n", 2, 1, r"tab characters cannot be used for indentation"),
    "bad_indent": ("A:\n  b: 1\n c: 2\n", 3, 2, r"did not find expected key"),
    "unclosed_single": ("A: 'abc\nB: 2\n", 3, 1, r"end of stream.*quoted scalar.*line 1, column 4"),
    "unclosed_double": ('A: 1\nB: "abc\n', 3, 1, r"quoted scalar that starts at line 2, column 4"),
    "unclosed_flow": ("A: [1, 2\nB: 3\n", 2, 2, r"did not find expected ',' or ']'"),
    "mapping_in_value": ("A: b: c\n", 1, 5, r"mapping values are not allowed"),
    "duplicate_root": (
        "A: 1\nB: 2\nA: 3\n",
        3,
        1,
        r"duplicate key 'A' \(first defined at line 1\)",
    ),
    "duplicate_nested": (
        "USER_CONFIG:\n  PASSES:\n    - name: a\n      name: b\n",
        4,
        7,
        r"duplicate key 'name' \(first defined at line 3\)",
    ),
    "root_list": ("- a\n- b\n", 1, 1, r"mapping of config keys.*not a list"),
    "root_scalar": ("# c\njust text\n", 2, 1, r"mapping of config keys.*not a single value"),
    "python_tag": (
        "A: !!python/object:os.system ls\n",
        1,
        4,
        r"unsupported tag '!!python/object:os\.system'",
    ),
    "custom_tag": ("A:\n  b: !custom 1\n", 2, 6, r"unsupported tag '!custom'"),
    "binary_tag": ("A: !!binary aGVsbG8=\n", 1, 4, r"unsupported tag '!!binary'"),
    "set_tag": ("A: !!set {a, b}\n", 1, 4, r"unsupported tag '!!set'"),
    "bad_tagged_value": ("A: !!int abc\n", 1, 4, r"cannot read 'abc' as int"),
    "two_documents": ("A: 1\n---\nB: 2\n", 2, 1, r"more than one YAML document"),
    "undefined_alias": ("A: *nope\n", 1, 4, r"undefined alias '\*nope'"),
    "recursive_alias": ("A: &a [1, *a]\n", 1, 11, r"recursive alias"),
    "merge_key": ("base: &b {x: 1}\nA:\n  <<: *b\n", 3, 3, r"merge keys"),
    "complex_key": ("? [a, b]\n: 1\n", 1, 3, r"only plain keys"),
    "control_char": ("A: 1\nB: a\x07b\n", 2, 5, r"control characters are not allowed"),
}


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(BAD_TEXT))
def test_bad_yaml_is_refused_with_file_line_and_column(name: str, tmp_path: Path):
    text, line, column, pattern = BAD_TEXT[name]
    path = write(tmp_path / f"{name}.yaml", text.encode("utf-8"))
    with pytest.raises(DocumentError) as caught:
        ConfigDocument.load(path)
    error = caught.value
    assert (error.path, error.line, error.column) == (path, line, column)
    assert str(error).startswith(f"{path}:{line}:{column}: ")
    assert re.search(pattern, error.message), error.message
    assert path.read_bytes() == text.encode("utf-8")


def test_loads_reports_string_source_or_given_path():
    with pytest.raises(DocumentError, match=r"^<string>:2:1: "):
        ConfigDocument.loads("A: 1\nA: 2\n")
    with pytest.raises(DocumentError, match=r"^demo\.yaml:1:1: "):
        ConfigDocument.loads("- a\n", "demo.yaml")


def test_document_error_is_a_value_error_with_fields():
    error = DocumentError("boom", "f.yaml", 3, 7)
    assert isinstance(error, ValueError)
    assert str(error) == "f.yaml:3:7: boom"
    assert str(DocumentError("gone", "f.yaml")) == "f.yaml: gone"


def test_non_utf8_file_is_refused(tmp_path: Path):
    data = b"A: 1\nB: caf\xe9\n"
    path = write(tmp_path / "latin1.yaml", data)
    with pytest.raises(DocumentError, match=r"latin1\.yaml:2:7: not a UTF-8 text file"):
        ConfigDocument.load(path)
    assert path.read_bytes() == data


def test_binary_file_is_refused(tmp_path: Path):
    data = bytes(range(256)) * 4
    path = write(tmp_path / "garbage.yaml", data)
    with pytest.raises(DocumentError, match=r"garbage\.yaml: not a UTF-8 text file"):
        ConfigDocument.load(path)
    assert path.read_bytes() == data


def test_missing_file(tmp_path: Path):
    with pytest.raises(DocumentError, match=r"nope\.yaml: file not found$"):
        ConfigDocument.load(tmp_path / "nope.yaml")


def test_folder_instead_of_file(tmp_path: Path):
    with pytest.raises(DocumentError, match=r"is a folder"):
        ConfigDocument.load(tmp_path)


def _writes_are_blocked_by_mode(path: Path) -> bool:
    """False when running as a user (root) that file modes do not stop."""
    try:
        with open(path, "ab"):
            return False
    except PermissionError:
        return True


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write(tmp_path / "secret.yaml", b"A: 1\n")
    path.chmod(0)
    try:
        readable = os.access(path, os.R_OK)
        if readable:  # root reads anything: simulate the refusal
            real_open = os.open

            def refuse(file, flags, *args, **kwargs):
                if Path(file) == path:
                    raise PermissionError(13, "Permission denied", str(file))
                return real_open(file, flags, *args, **kwargs)

            monkeypatch.setattr(os, "open", refuse)
        with pytest.raises(DocumentError, match=r"secret\.yaml: cannot read: permission denied"):
            ConfigDocument.load(path)
    finally:
        monkeypatch.undo()
        path.chmod(0o644)
    assert path.read_bytes() == b"A: 1\n"


def _refuse_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src, dst, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)


def test_save_to_read_only_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write(tmp_path / "ro.yaml", b"A: 1  # keep\n")
    doc = ConfigDocument.load(path)
    doc.set("A", 2)
    path.chmod(0o444)
    try:
        if not _writes_are_blocked_by_mode(path):
            _refuse_replace(monkeypatch)
            monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
        with pytest.raises(DocumentError, match=r"ro\.yaml: cannot write: permission denied"):
            doc.save()
    finally:
        monkeypatch.undo()
        path.chmod(0o644)
    assert path.read_bytes() == b"A: 1  # keep\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.yaml"]
    assert doc.dirty and doc.text == "A: 2  # keep\n"


def test_save_into_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = write(folder / "c.yaml", b"A: 1\n")
    doc = ConfigDocument.load(path)
    doc.set("A", 2)
    folder.chmod(0o555)
    try:
        if not _writes_are_blocked_by_mode(folder / "probe"):
            _refuse_replace(monkeypatch)
        with pytest.raises(DocumentError, match=r"c\.yaml: cannot write: permission denied"):
            doc.save()
    finally:
        monkeypatch.undo()
        folder.chmod(0o755)
        (folder / "probe").unlink(missing_ok=True)
    assert path.read_bytes() == b"A: 1\n"
    assert sorted(p.name for p in folder.iterdir()) == ["c.yaml"]
    assert doc.dirty


def test_save_into_missing_folder(tmp_path: Path):
    doc = ConfigDocument.new(tmp_path / "no" / "such" / "c.yaml")
    with pytest.raises(DocumentError, match=r"cannot write: the folder does not exist"):
        doc.save()


def test_save_without_path_is_a_programming_error():
    with pytest.raises(ValueError, match="no file path"):
        ConfigDocument.loads("A: 1\n").save()


def test_edits_with_bad_paths_leave_the_text_alone():
    text = "A:\n  b: [1, 2]\n  s: text\n"
    doc = ConfigDocument.loads(text)
    with pytest.raises(IndexError, match=r"A\.b\.9"):
        doc.set("A.b.9", 1)
    with pytest.raises(KeyError, match=r"A\.s\.x"):
        doc.set("A.s.x", 1)
    with pytest.raises(KeyError, match=r"A\.b\.x"):
        doc.set("A.b.x", 1)
    with pytest.raises(TypeError, match=r"A\.s is not a list"):
        doc.append("A.s", 1)
    with pytest.raises(KeyError):
        doc.remove("A.missing", 0)
    with pytest.raises(ValueError):
        doc.set("", 1)
    assert doc.text == text and not doc.dirty
