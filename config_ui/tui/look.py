"""The look shared by every screen: what can be edited looks editable and the control with
focus stands out, in every theme. Colours come from the theme's variables (blended with
``$foreground`` or ``$primary`` so dark and light themes both keep their contrast)."""

from __future__ import annotations

APP_CSS = """
Input {
    border: tall $foreground 22%;
}
Input:focus {
    border: tall $primary;
}
Input.-textual-compact {
    border: none;
    height: 1;
    padding: 0;
    background: $foreground 9%;
}
Input.-textual-compact:focus {
    border: none;
    background: $primary 28%;
}
Select.-textual-compact > SelectCurrent {
    background: $foreground 9%;
}
Select.-textual-compact:focus > SelectCurrent {
    background: $primary 28%;
}
Button:focus {
    text-style: bold;
    border-top: tall $accent;
    border-bottom: tall $accent;
}
Button.-textual-compact:focus {
    border: none;
    background: $accent;
    color: $background;
}
SelectionList.-textual-compact:focus, OptionList.-textual-compact:focus {
    background-tint: $primary 10%;
}
Collapsible > CollapsibleTitle:focus {
    background: $accent;
    color: $background;
}
"""
