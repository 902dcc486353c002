"""Settings: declared once, each documented in the README (as datasette's
test_docs checks its SETTINGS), read from the environment when used, and a
bad value refused with a message naming its variable."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.conftest import REPO_ROOT
from tracker import settings
from tracker.errors import TrackerError


def readme_settings() -> dict[str, tuple[str, str]]:
    """name -> (environment variable, default) from the README's settings table."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| `([A-Z_]+)` \| `([^`]*)` \| (.+) \|$", section, re.MULTILINE)
    return {name: (env, default) for name, env, default, _ in rows}


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_readme_documents_every_setting(setting):
    documented = readme_settings()
    assert setting.name in documented, f"README's Settings table lacks {setting.name}"
    env, default = documented[setting.name]
    assert env == setting.env
    assert default == (str(setting.default) if setting.default != "" else "(empty)")
    assert len(setting.help) > 20


def test_readme_documents_no_setting_that_does_not_exist():
    assert set(readme_settings()) == {s.name for s in settings.SETTINGS}


def test_environment_names_are_unique():
    envs = [s.env for s in settings.SETTINGS]
    assert len(envs) == len(set(envs))


def test_value_comes_from_the_environment_when_read(monkeypatch):
    assert settings.get("upload_max_rows") == 50_000
    monkeypatch.setenv("PLAN_UPLOAD_MAX_ROWS", "12")
    assert settings.get("upload_max_rows") == 12
    monkeypatch.setenv("PLAN_UPLOAD_MAX_ROWS", "nhiều")
    with pytest.raises(TrackerError) as err:
        settings.get("upload_max_rows")
    assert "PLAN_UPLOAD_MAX_ROWS" in err.value.message("vi") and "nhiều" in err.value.message("en")
    assert settings.get("rules") == REPO_ROOT / "data" / "status_rules.toml"


def test_time_zone_is_vietnam_unless_set(monkeypatch):
    assert settings.time_zone().key == "Asia/Ho_Chi_Minh"
    monkeypatch.setenv("PLAN_TIME_ZONE", "Mars/Olympus")
    with pytest.raises(TrackerError):
        settings.time_zone()


def areas(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area_id", "parent_id"])


def test_home_area_is_the_area_without_a_parent(monkeypatch):
    monkeypatch.delenv("PLAN_HOME_AREA", raising=False)
    assert settings.home_area(areas(("XX-1.a", "XX-1"), ("XX-1", None), ("XX-1.b", "XX-1"))) == "XX-1"
    assert settings.home_area(areas(("XX-1", ""), ("XX-1.a", "XX-1"))) == "XX-1"
    assert settings.home_area(areas(("A", None), ("B", None))) == "A"  # a national table: its first
    for table in (areas(), areas(("A.x", "A"))):
        with pytest.raises(TrackerError) as err:
            settings.home_area(table)
        assert err.value.key == "settings.no_home_area"
    monkeypatch.setenv("PLAN_HOME_AREA", "B")
    assert settings.home_area(areas(("A", None), ("B", None))) == "B"
    monkeypatch.setenv("PLAN_HOME_AREA", "C")
    with pytest.raises(TrackerError):
        settings.home_area(areas(("A", None), ("B", None)))
