"""Diff lines classified once for both renderers."""

from config_ui.core.diff_lines import diff_line_kind


def test_each_kind_of_unified_diff_line() -> None:
    diff = "--- a.yaml\n+++ a.yaml\n@@ -1 +1 @@\n-old: 1\n+new: 2\n same: 3"
    assert [diff_line_kind(line) for line in diff.splitlines()] == [
        "header",
        "header",
        "hunk",
        "del",
        "add",
        "same",
    ]
