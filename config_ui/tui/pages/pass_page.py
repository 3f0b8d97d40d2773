"""The editor of one pass: its settings, the module picker with the live list of output
columns, the module configs as forms, and the advanced settings folded away."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Collapsible, Static

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.factory import FormContext
from config_ui.tui.fields.model_list_field import item_action, item_buttons
from config_ui.tui.pages.form_page import FormPage


def columns_text(columns: list[str]) -> str:
    if not columns:
        return "No output columns yet (choose modules, fix errors)."
    return ", ".join(columns)


class PassPage(FormPage):
    DEFAULT_CSS = """
    PassPage > .pass-actions {
        height: 1;
        margin-bottom: 1;
    }
    PassPage .pass-actions Button {
        margin-right: 1;
    }
    PassPage > #pass-columns {
        height: auto;
        color: $text-muted;
        padding: 0 0 0 2;
        margin-bottom: 1;
    }
    PassPage > .pass-advanced {
        margin-top: 1;
    }
    """

    def __init__(self, ctx: FormContext, index: int) -> None:
        self.index = index
        self.ref = ("pass", index)
        super().__init__(ctx)

    @property
    def pass_node(self) -> FieldNode | None:
        return self.session.root.find(f"PASSES.{self.index}")

    def parts(self) -> tuple[list[FieldNode], FieldNode | None, list[FieldNode], list[FieldNode]]:
        """(main settings, the modules field, module configs, advanced settings)."""
        node = self.pass_node
        main: list[FieldNode] = []
        modules = None
        configs: list[FieldNode] = []
        advanced: list[FieldNode] = []
        for child in node.children if node else []:
            if child.key == "modules":
                modules = child
            elif child.section == "Advanced":
                advanced.append(child)
            elif child.kind == "model":
                configs.append(child)
            else:
                main.append(child)
        return main, modules, configs, advanced

    def roots(self) -> list[FieldNode]:
        main, modules, configs, advanced = self.parts()
        return [*main, *([modules] if modules else []), *configs, *advanced]

    def extra_signature(self) -> tuple:
        return (len(self.session.raw_passes()),)

    def title(self) -> str:
        node = self.pass_node
        name = node.summary.split(" · ")[0] if node else "?"
        total = len(self.session.raw_passes())
        return f"Pass {self.index + 1} of {total} · {name}"

    def compose(self) -> ComposeResult:
        node = self.pass_node
        if node is None:
            yield Static(f"There is no pass {self.index + 1}.", classes="page-title")
            return
        main, modules, configs, advanced = self.parts()
        total = len(self.session.raw_passes())
        yield Static(self.title(), classes="page-title", id="pass-title", markup=False)
        yield Horizontal(
            *item_buttons(self.index, total, disabled=self.ctx.read_only), classes="pass-actions"
        )
        yield from (w for w in map(self.ctx.make, main) if w is not None)
        if modules is not None:
            yield Static("Modules", classes="page-heading")
            widget = self.ctx.make(modules)
            if widget is not None:
                yield widget
        columns = self.session.pass_columns(self.index)
        yield Static(
            f"Output columns ({len(columns)})", classes="page-heading", id="pass-columns-title"
        )
        yield Static(columns_text(columns), id="pass-columns", markup=False)
        if configs and any(c.visible for c in configs):
            yield Static("Module settings", classes="page-heading")
        yield from (w for w in map(self.ctx.make, configs) if w is not None)
        folded = self.ctx.collapsed.get(f"{node.path}#advanced", True)
        group = Collapsible(
            *[w for w in map(self.ctx.make, advanced) if w is not None],
            title="Advanced",
            collapsed=folded,
            classes="pass-advanced" + (" -collapsed" if folded else ""),
            id=f"advanced-PASSES-{self.index}",
        )
        yield group

    def show(self, nodes: dict[str, FieldNode]) -> None:
        super().show(nodes)
        columns = self.session.pass_columns(self.index)
        self.query_one("#pass-title", Static).update(self.title())
        self.query_one("#pass-columns-title", Static).update(f"Output columns ({len(columns)})")
        self.query_one("#pass-columns", Static).update(columns_text(columns))

    @on(Collapsible.Toggled, ".pass-advanced")
    def _advanced_toggled(self, event: Collapsible.Toggled) -> None:
        self.ctx.collapsed[f"PASSES.{self.index}#advanced"] = event.collapsible.collapsed

    @on(Button.Pressed, ".pass-actions Button")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        message = item_action(event.button, "PASSES")
        if message is not None:
            self.screen.post_message(message)
