"""A URL per section: ``#/Outputs`` in the address bar. Opening such an address shows that
section; choosing a section puts it in the address (a history entry, so Back returns to the
previous section); editing the ``#/...`` part by hand, or Back and Forward, follow it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from nicegui import ui

from basalt.config.ui import SECTIONS
from config_ui.web.notices import notify

if TYPE_CHECKING:
    from config_ui.web.controller import EditorController

EVENT = "basalt_section"

# Reads the address when the page loads (sent once the socket is up) and whenever its
# ``#/...`` part changes; an address without one (Back to where the page started) is sent as
# the empty name, the first section.
LISTENER_JS = """
<script>
(() => {
  const send = (initial) => {
    const found = /^#\\/([^/?#]*)/.exec(window.location.hash);
    if (!found && initial) return;
    let section = found ? found[1] : '';
    try { section = decodeURIComponent(section); } catch (error) { /* shown as typed */ }
    const go = () => {
      if (window.did_handshake) emitEvent('EVENT_NAME', {section: section, initial: initial});
      else setTimeout(go, 25);
    };
    go();
  };
  window.addEventListener('hashchange', () => send(false));
  send(true);
})();
</script>
""".replace("EVENT_NAME", EVENT)

PUSH_JS = """
(hash) => {
  if (window.location.hash !== hash) window.history.pushState(window.history.state, '', hash);
}
"""


def section_named(text: Any) -> str | None:
    """The section called ``text`` (any case), or None."""
    wanted = str(text or "").strip().casefold()
    return next((s for s in SECTIONS if s.casefold() == wanted), None)


def address_of(section: str) -> str:
    return f"#/{section}"


def install(ctrl: EditorController, goto_given: bool) -> None:
    """Follow the address on the page being built. With ``goto_given`` the address's section
    at load gives way to the field the page was asked to show."""
    ui.add_head_html(LISTENER_JS)
    ui.on(EVENT, lambda e: follow(ctrl, e.args or {}, goto_given))


def follow(ctrl: EditorController, args: dict[str, Any], goto_given: bool = False) -> None:
    """Show the section the address names (``args``: ``section``, ``initial``)."""
    if args.get("initial") and goto_given:
        return
    name = args.get("section")
    section = section_named(name) if name else SECTIONS[0]
    if section is None:
        notify(
            f"No section “{name}”; sections: {', '.join(SECTIONS)}",
            type="warning",
        )
        show(ctrl.section)
        return
    if section != ctrl.section or ctrl.query:
        ctrl.select_section(section)


def show(section: str) -> None:
    """Put ``section`` in the address bar (a new history entry when it changes)."""
    ui.run_javascript(f"({PUSH_JS})({json.dumps(address_of(section))})")
