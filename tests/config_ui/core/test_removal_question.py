"""Removing the last pass asks first: the question is the core's, both editors show it."""

from __future__ import annotations

from config_ui.core.session import EditorSession


def test_removing_the_only_pass_asks(session: EditorSession):
    assert len(session.value("PASSES")) == 1
    question = session.removal_needs_confirmation("PASSES", 0)
    assert question == (
        "Remove pass 'bars_1m'? It is the only one: the config needs at least one and shows "
        "an error until you add another (undo brings it back)."
    )


def test_removing_one_of_several_passes_asks_nothing(session: EditorSession):
    session.duplicate_item("PASSES", 0)
    assert session.removal_needs_confirmation("PASSES", 0) is None
    assert session.removal_needs_confirmation("PASSES", 1) is None
    session.remove_item("PASSES", 1)
    assert session.removal_needs_confirmation("PASSES", 0) is not None


def test_a_list_that_may_be_empty_never_asks(session: EditorSession):
    path = "PASSES.0.trade_analytics.generic_metrics"
    session.remove_item(path, 1)
    assert len(session.value(path)) == 1
    assert session.removal_needs_confirmation(path, 0) is None


def test_an_index_out_of_range_asks_nothing(session: EditorSession):
    assert session.removal_needs_confirmation("PASSES", 3) is None
    assert session.removal_needs_confirmation("NO_SUCH_LIST", 0) is None


def test_what_the_question_warns_of_happens(session: EditorSession):
    session.remove_item("PASSES", 0)
    assert session.value("PASSES") == []
    assert ("PASSES", "needs at least one item") in [(i.path, i.message) for i in session.issues]
    assert session.undo() and len(session.value("PASSES")) == 1
