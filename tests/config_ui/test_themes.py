"""Theme files shared by both editors: loading, errors, contrast, the remembered choice."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from config_ui.core import themes
from config_ui.core.themes import (
    COLOUR_FIELDS,
    ThemeError,
    ThemeSpec,
    contrast_ratio,
    default_theme_name,
    initial_theme_name,
    load_theme,
    load_themes,
    remember_theme,
    remembered_theme,
    themes_dir,
    to_css_variables,
    to_textual_kwargs,
    ui_state_path,
)

REPO = Path(__file__).resolve().parents[2]
THEME_FILES = sorted((REPO / "themes").glob("*.toml"))

GOOD = """\
name = "sample"
dark = true
primary = "#2bb3a3"
secondary = "#6b8aa8"
accent = "#f0a830"
background = "#161a1f"
surface = "#1e242b"
panel = "#28303a"
foreground = "#e4e9ee"
success = "#5cc98a"
warning = "#e8c36a"
error = "#f2777a"
"""


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BASALT_THEMES_DIR", raising=False)
    monkeypatch.setenv("BASALT_HOME", str(tmp_path / "home"))


def theme_id(path: Path) -> str:
    return path.stem


# -- the repository's themes --------------------------------------------------------------


def test_repository_themes_load_with_the_default_first_among_equals() -> None:
    loaded = load_themes()
    assert {"basalt-dark", "basalt-light", "basalt-high-contrast"} <= set(loaded)
    assert default_theme_name() == "basalt-dark"
    assert loaded["basalt-dark"].dark is True
    assert loaded["basalt-light"].dark is False
    assert len(THEME_FILES) == len(loaded)


def test_themes_dir_is_the_repository_folder_unless_overridden(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert themes_dir() == REPO / "themes"
    (tmp_path / "mine.toml").write_text(GOOD.replace('"sample"', '"mine"'), encoding="utf-8")
    monkeypatch.setenv("BASALT_THEMES_DIR", str(tmp_path))
    assert themes_dir() == tmp_path
    assert list(load_themes()) == ["mine"]


@pytest.mark.parametrize("path", THEME_FILES, ids=theme_id)
def test_foreground_is_readable_on_every_background(path: Path) -> None:
    spec = load_theme(path)
    needed = 7.0 if "high-contrast" in spec.name else 4.5  # WCAG AAA / AA for normal text
    for background in ("background", "surface", "panel"):
        ratio = contrast_ratio(spec.foreground, getattr(spec, background))
        assert ratio >= needed, f"{spec.name}: foreground on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize("path", THEME_FILES, ids=theme_id)
def test_accent_and_status_colours_stand_out_from_every_background(path: Path) -> None:
    spec = load_theme(path)
    needed = 4.5 if "high-contrast" in spec.name else 3.0  # WCAG 1.4.11 non-text contrast
    for colour in ("primary", "secondary", "accent", "success", "warning", "error"):
        for background in ("background", "surface", "panel"):
            ratio = contrast_ratio(getattr(spec, colour), getattr(spec, background))
            assert ratio >= needed, f"{spec.name}: {colour} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize("path", THEME_FILES, ids=theme_id)
def test_every_theme_builds_a_real_textual_theme(path: Path) -> None:
    from textual.theme import Theme

    spec = load_theme(path)
    kwargs = to_textual_kwargs(spec)
    assert set(kwargs) <= set(inspect.signature(Theme).parameters)
    theme = Theme(**kwargs)
    assert theme.name == spec.name
    assert theme.dark is spec.dark
    for field in COLOUR_FIELDS:
        assert getattr(theme, field) == getattr(spec, field)
    variables = theme.to_color_system().generate()  # Textual parses every colour here
    assert variables["primary"].lower() == spec.primary


def test_theme_file_names_match_theme_names() -> None:
    for path in THEME_FILES:
        assert load_theme(path).name == path.stem


def test_css_variables_cover_every_colour() -> None:
    spec = load_themes()["basalt-dark"]
    variables = to_css_variables(spec)
    assert variables["--basalt-primary"] == spec.primary
    assert variables["--basalt-foreground"] == spec.foreground
    assert {f"--basalt-{name}" for name in COLOUR_FIELDS} <= set(variables)
    assert variables["--basalt-color-scheme"] == "dark"
    assert to_css_variables(load_themes()["basalt-light"])["--basalt-color-scheme"] == "light"


def test_core_imports_no_front_end() -> None:
    code = (
        "import sys, config_ui.core.themes, config_ui.core.file_watch\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'nicegui'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


# -- colour maths -------------------------------------------------------------------------


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#3b4252", "#3b4252") == pytest.approx(1.0)
    # WCAG's well-known boundary: #767676 on white passes AA, #777777 just fails.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    with pytest.raises(ValueError):
        contrast_ratio("#fff", "#000000")


# -- bad theme files ----------------------------------------------------------------------


def write_theme(folder: Path, text: str, name: str = "sample.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_field_names_file_and_field(tmp_path: Path) -> None:
    path = write_theme(tmp_path, GOOD.replace('panel = "#28303a"\n', ""))
    with pytest.raises(ThemeError) as caught:
        load_themes(tmp_path)
    assert caught.value.path == path and caught.value.field == "panel"
    assert str(caught.value) == f"{path}: panel: missing field"


def test_bad_colour_names_file_line_and_field(tmp_path: Path) -> None:
    path = write_theme(tmp_path, GOOD.replace('accent = "#f0a830"', 'accent = "orange"'))
    with pytest.raises(ThemeError) as caught:
        load_themes(tmp_path)
    error = caught.value
    assert (error.path, error.field, error.line) == (path, "accent", 5)
    assert str(error).startswith(f"{path}, line 5: accent: 'orange' is not a colour")


@pytest.mark.parametrize("value", ['"#12345"', '"#1234567"', '"#ggg000"', "0x123456", '"123456"'])
def test_malformed_colours_are_refused(tmp_path: Path, value: str) -> None:
    write_theme(tmp_path, GOOD.replace('"#6b8aa8"', value))
    with pytest.raises(ThemeError, match="secondary: .* is not a colour"):
        load_themes(tmp_path)


def test_bad_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write_theme(tmp_path, GOOD.replace('surface = "#1e242b"', 'surface = "#1e242b'))
    with pytest.raises(ThemeError) as caught:
        load_themes(tmp_path)
    assert caught.value.line == 7
    assert str(caught.value).startswith(f"{path}, line 7: invalid TOML: ")


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    write_theme(tmp_path, GOOD + 'boost = "#ffffff"\n')
    with pytest.raises(ThemeError, match=r"line 13: boost: unknown field"):
        load_themes(tmp_path)


def test_dark_must_be_a_boolean(tmp_path: Path) -> None:
    write_theme(tmp_path, GOOD.replace("dark = true", 'dark = "yes"'))
    with pytest.raises(ThemeError, match=r"line 2: dark: 'yes' is not true or false"):
        load_themes(tmp_path)


def test_name_must_be_a_simple_word(tmp_path: Path) -> None:
    write_theme(tmp_path, GOOD.replace('"sample"', '"my theme"'))
    with pytest.raises(ThemeError, match=r"line 1: name: 'my theme' is not a theme name"):
        load_themes(tmp_path)


def test_two_files_with_one_theme_name_are_refused(tmp_path: Path) -> None:
    first = write_theme(tmp_path, GOOD, "a.toml")
    second = write_theme(tmp_path, GOOD, "b.toml")
    with pytest.raises(ThemeError) as caught:
        load_themes(tmp_path)
    assert caught.value.path == second
    assert f"already defined in {first}" in str(caught.value)


def test_missing_folder_is_a_theme_error(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match="themes folder not found"):
        load_themes(tmp_path / "nowhere")


def test_colours_are_normalised_to_lower_case(tmp_path: Path) -> None:
    write_theme(tmp_path, GOOD.replace('"#2bb3a3"', '"#2BB3A3"'))
    assert load_themes(tmp_path)["sample"].primary == "#2bb3a3"


def test_theme_spec_refuses_bad_colours_when_built_in_code() -> None:
    spec = load_themes()["basalt-dark"]
    values = {**to_textual_kwargs(spec), "primary": "teal"}
    with pytest.raises(ValueError, match="primary"):
        ThemeSpec(**values)


# -- the remembered choice ----------------------------------------------------------------


def test_nothing_is_remembered_at_first() -> None:
    assert remembered_theme() is None


def test_a_remembered_theme_is_read_back(tmp_path: Path) -> None:
    remember_theme("basalt-light")
    assert remembered_theme() == "basalt-light"
    path = tmp_path / "home" / "ui.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "basalt-light"}
    remember_theme("basalt-high-contrast")
    assert remembered_theme() == "basalt-high-contrast"
    assert sorted(p.name for p in path.parent.iterdir()) == ["ui.json"]  # no temp file left


@pytest.mark.parametrize("content", ["{not json", "", '["a list"]', '{"theme": 3}', "\xff\xfe"])
def test_a_corrupt_state_file_is_tolerated(tmp_path: Path, content: str) -> None:
    path = tmp_path / "home" / "ui.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode("latin-1"))
    assert remembered_theme() is None
    remember_theme("basalt-dark")
    assert remembered_theme() == "basalt-dark"


def test_other_ui_settings_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "home" / "ui.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"theme": "basalt-dark", "font_size": 14}', encoding="utf-8")
    remember_theme("basalt-light")
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "font_size": 14,
        "theme": "basalt-light",
    }


def test_basalt_home_defaults_to_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BASALT_HOME")
    monkeypatch.chdir(tmp_path)
    assert ui_state_path() == tmp_path / ".basalt" / "home" / "ui.json"
    remember_theme("basalt-light")
    assert (tmp_path / ".basalt" / "home" / "ui.json").is_file()


def test_remember_theme_refuses_an_empty_name() -> None:
    with pytest.raises(ValueError):
        remember_theme("")


def test_initial_theme_is_the_remembered_one_if_it_still_exists() -> None:
    loaded = load_themes()
    assert initial_theme_name(loaded) == "basalt-dark"
    remember_theme("basalt-light")
    assert initial_theme_name(loaded) == "basalt-light"
    remember_theme("deleted-theme")
    assert initial_theme_name(loaded) == "basalt-dark"
    only_light = {"basalt-light": loaded["basalt-light"]}
    assert initial_theme_name(only_light) == "basalt-light"


def test_module_exports_exist() -> None:
    for name in themes.__all__:
        assert hasattr(themes, name), name
