"""Which files the web editor opens: only demo pairs in the project's demo folder
(``demo/NN_name.py`` + ``.yaml``, or the demo the server was started on). ``..``, absolute
paths, symbolic links and anything that is not a demo pair are refused with a
:class:`Refused` whose message the refusal page shows. Who may send requests is
:mod:`config_ui.web.request_guard`'s business.

No NiceGUI import: plain paths.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from basalt.config.demo_files import UnsafeDemoFile, check_demo_pair

DEMO_NAME = re.compile(r"^[0-9]{2}_[A-Za-z0-9_-]+\.(py|yaml)$")


class Refused(ValueError):
    """A file the editor will not open or write; the message says why, for the user."""


def _inside(root: Path, path: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class DemoPair:
    """A demo script and its YAML; ``name`` is the path relative to the project root."""

    name: str
    script: Path
    yaml: Path

    @property
    def title(self) -> str:
        return self.script.stem


@dataclass(frozen=True)
class Project:
    """The folder the editor serves: ``root``, its ``demo_dir`` and the demo it started on."""

    root: Path
    demo_dir: Path
    default: str

    @classmethod
    def for_demo(cls, path: str | Path) -> Project:
        """The project of a demo file: the folder above ``demo/``, else the file's folder.

        Raises :class:`Refused` when the file does not exist.
        """
        given = Path(path)
        absolute = Path(os.path.abspath(given))
        if absolute.suffix not in (".py", ".yaml"):
            raise Refused(f"{given}: not a demo (expected a .py script or its .yaml)")
        script = absolute.with_suffix(".py")
        if not script.is_file():
            raise Refused(f"{given}: no such demo (the script {script.name} does not exist)")
        demo_dir = absolute.parent
        root = demo_dir.parent if demo_dir.name == "demo" else demo_dir
        return cls(root=root, demo_dir=demo_dir, default=script.relative_to(root).as_posix())

    def demos(self) -> list[DemoPair]:
        """Every demo pair (``NN_name.py``) in the demo folder, plus the one served."""
        pairs: dict[str, DemoPair] = {}
        for script in sorted(self.demo_dir.glob("[0-9][0-9]_*.py")):
            try:
                pair = self.resolve(script.relative_to(self.root).as_posix())
            except Refused:
                continue
            pairs[pair.name] = pair
        if self.default not in pairs:
            try:
                pairs[self.default] = self.resolve(self.default)
            except Refused:
                pass
        return sorted(pairs.values(), key=lambda p: p.name)

    def resolve(self, requested: str | None) -> DemoPair:
        """The demo pair named by ``requested`` (relative to the root); :class:`Refused` if it
        is not one this editor may open."""
        text = (requested or "").strip()
        if not text:
            text = self.default
        if "\x00" in text or "\\" in text:
            raise Refused(f"'{text}' is not a file name the editor accepts")
        posix = PurePosixPath(text)
        if posix.is_absolute() or PureWindowsPath(text).drive:
            raise Refused(
                f"'{text}': absolute paths are not allowed; name a demo inside the project"
            )
        if ".." in posix.parts:
            raise Refused(f"'{text}': '..' is not allowed; name a demo inside the project")
        candidate = self.root.joinpath(*posix.parts)
        name = posix.as_posix()
        if name != self.default:
            if candidate.parent != self.demo_dir or not DEMO_NAME.match(candidate.name):
                raise Refused(
                    f"'{text}' is not a demo of this project; demos are "
                    f"{self.demo_dir.relative_to(self.root).as_posix() or '.'}/NN_name.py"
                )
        script = candidate.with_suffix(".py")
        yaml = candidate.with_suffix(".yaml")
        if not _inside(self.root, yaml.parent):
            raise Refused(f"'{text}' leads outside the project (a symbolic link); refused")
        try:
            check_demo_pair(script)
        except UnsafeDemoFile as exc:
            shown = exc.path.name if exc.path is not None else text
            raise Refused(f"'{text}': {shown} {exc.message}") from None
        if not script.is_file():
            raise Refused(f"'{text}': no such demo")
        return DemoPair(name=script.relative_to(self.root).as_posix(), script=script, yaml=yaml)

    def check_writable_target(self, path: Path) -> None:
        """Before a save: the file must still be inside the project."""
        if not _inside(self.root, path if path.exists() or path.is_symlink() else path.parent):
            raise Refused(f"{path.name} leads outside the project (a symbolic link); not written")


# -- pages the editor sends instead of itself ---------------------------------------------

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Basalt Studio</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #161a1f; color: #e4e9ee;
       display: flex; justify-content: center; padding-top: 12vh; margin: 0; }}
main {{ max-width: 40rem; padding: 2rem; background: #1e242b; border-radius: 8px;
        border-left: 4px solid #f2777a; }}
h1 {{ font-size: 1.3rem; margin-top: 0; }} code {{ color: #f0a830; }}
a {{ color: #2bb3a3; }}
</style></head>
<body><main data-refusal="{kind}"><h1>{title}</h1><p>{message}</p>{extra}</main></body></html>
"""


def refusal_html(title: str, message: str, *, kind: str = "refused", extra: str = "") -> str:
    """A small self-contained page (no scripts) for a refused request."""
    return _PAGE.format(
        title=html.escape(title), message=html.escape(message), kind=html.escape(kind), extra=extra
    )


def demo_links_html(project: Project) -> str:
    items = "".join(
        f'<li><a href="/?demo={html.escape(p.name)}">{html.escape(p.name)}</a></li>'
        for p in project.demos()
    )
    return f"<p>Demos in this project:</p><ul>{items}</ul>" if items else ""
