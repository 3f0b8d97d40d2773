"""The save rule (errors are not saved unless asked), cross-field errors beside field errors,
and what a change on disk does (a broken file, its fix, take theirs)."""

from __future__ import annotations

import pytest

from config_ui.core.save_plan import plan_save
from config_ui.core.session import (
    KEEP_EDITS,
    RELOAD_WHEN_FIXED,
    InvalidConfig,
    ShownError,
)


def broken(text: str) -> str:
    return text.replace("UNIVERSE: mic=XLON", "UNIVERSE: [mic=XLON")


# -- the save rule --------------------------------------------------------------------------


def test_a_clean_edit_may_be_saved(session):
    session.set("UNIVERSE", "mic=XPAR")
    plan = plan_save(session)
    assert plan.may_save and not plan.errors and not plan.override_label
    assert "+  UNIVERSE: mic=XPAR" in plan.diff


def test_errors_refuse_a_plain_save_and_name_the_override(session, demo):
    yaml = demo.with_suffix(".yaml")
    before = yaml.read_text()
    session.set("END_DATE", "2024-12-01")
    plan = plan_save(session)
    assert not plan.may_save and plan.may_override
    assert plan.errors == [
        ShownError("END_DATE", "END_DATE 2024-12-01 is before START_DATE 2025-01-02")
    ]
    assert plan.override_label == "Save with 1 error"
    assert plan.first_error == "END_DATE"
    with pytest.raises(InvalidConfig, match="1 error"):
        session.save()
    assert yaml.read_text() == before
    session.save(allow_errors=True)
    assert "2024-12-01" in yaml.read_text()


def test_the_plan_counts_what_the_header_counts(session):
    session.document.set("NUM_WORKERS", 0)  # not touched: hidden until a save attempt
    session.set("END_DATE", "2024-12-01")
    assert len(session.errors()) == 1
    plan = plan_save(session)
    assert plan.error_count == len(session.errors()) == 2
    assert plan.override_label == "Save with 2 errors"
    assert [e.path for e in plan.errors] == ["END_DATE", "NUM_WORKERS"]


def test_nothing_to_save_and_read_only_are_refused(session):
    assert plan_save(session).refused == "No unsaved changes"
    session.set("UNIVERSE", "mic=XPAR")
    session.read_only = True
    plan = plan_save(session)
    assert "read-only" in plan.refused and not plan.may_save and not plan.may_override


# -- cross-field errors ---------------------------------------------------------------------


def test_cross_field_errors_show_beside_field_errors(session):
    session.duplicate_item("PASSES", 0)
    session.set("PASSES.1.name", session.value("PASSES.0.name"))
    session.set("NUM_WORKERS", 0)  # a field error: Pydantic then skips the model's rules
    session.set("END_DATE", "2024-12-01")
    shown = dict(session.visible_errors())
    assert shown["NUM_WORKERS"].startswith("NUM_WORKERS must be")
    assert shown["END_DATE"] == "END_DATE 2024-12-01 is before START_DATE 2025-01-02"
    assert "already used by PASSES.0.name" in shown["PASSES.1.name"]
    assert plan_save(session).error_count == 3


# -- changes on disk ------------------------------------------------------------------------


def test_a_broken_file_on_disk_sets_the_banner_and_its_fix_reloads(session, demo):
    yaml = demo.with_suffix(".yaml")
    text = yaml.read_text()
    change = session.on_disk_change(broken(text))
    assert change.error and not change.reloaded and not change.conflict
    problem = session.disk_problem
    assert problem is not None and problem.error.startswith(f"{yaml}:")
    line, column = problem.error.split(f"{yaml}:")[1].split(":")[:2]
    assert line.isdigit() and column.isdigit()
    assert [c for c, _ in problem.choices] == [KEEP_EDITS, RELOAD_WHEN_FIXED]
    fixed = text.replace("UNIVERSE: mic=XLON", "UNIVERSE: mic=XPAR")
    change = session.on_disk_change(fixed)
    assert change.reloaded and change.fixed and session.disk_problem is None
    assert session.document.text == fixed


def test_fixed_with_unsaved_edits_asks_unless_reload_was_chosen(session, demo):
    text = demo.with_suffix(".yaml").read_text()
    session.set("DATASETNAME", "mine")
    session.on_disk_change(broken(text))
    session.choose_on_broken_disk(KEEP_EDITS)
    assert session.disk_problem.choices == []
    change = session.on_disk_change(text.replace("mic=XLON", "mic=XPAR"))
    assert change.conflict and change.fixed and session.dirty

    session.on_disk_change(broken(text))
    session.choose_on_broken_disk(RELOAD_WHEN_FIXED)
    change = session.on_disk_change(text)  # put back exactly as it was
    assert change.reloaded and not session.dirty and session.document.text == text


def test_conflict_diff_compares_the_texts_and_take_theirs_takes_them(session, demo):
    theirs = demo.with_suffix(".yaml").read_text().replace("mic=XLON", "mic=XPAR") + "# end\n"
    session.set("DATASETNAME", "mine")
    demo.with_suffix(".yaml").write_text(theirs)
    change = session.on_disk_change(theirs)
    assert change.conflict and change.theirs == theirs
    assert "-  DATASETNAME: ohlcv_bars" in change.diff and "+  DATASETNAME: mine" in change.diff
    assert "-# end" in change.diff
    session.take_theirs(change.theirs)
    assert session.document.text == theirs and not session.dirty
    assert session.value("UNIVERSE") == "mic=XPAR"
    session.set("DATASETNAME", "after")
    session.save()  # the file holds theirs: no conflict
