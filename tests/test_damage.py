"""A damaged store explains itself (issue 11 item 8): each kind of damage,
made on a real store on disk, gives one line naming the table and the
version in the reader's language, in the command line (`check`, `history`,
`export`, `import`) and on the overview and history pages; publishing onto
a damaged table is refused and changes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from loaders.__main__ import main
from tests.conftest import ASSETS, REPO_ROOT
from tracker import schema
from tracker.errors import StoreDamaged
from tracker.store import Store

REVISION = ASSETS / "data_update" / "revise_and_add.csv"
# kind of damage -> (what the message says in English, the version it names,
# counted from the build's last version: 1 is the first publish after the
# build; 0 for the missing first log is the table's version 0 itself)
KINDS = {
    "truncated": ("cut short or unreadable", 1),
    "garbage": ("cut short or unreadable", 1),
    "empty": ("log file is empty", 1),
    "log_gap": ("a gap in the log", 1),
    "first_log_missing": ("a gap in the log", 0),
    "parquet_missing": ("data file written by this version is missing", 1),
    "parquet_broken": ("data file written by this version is broken", 1),
}


def log_files(root: str) -> list[Path]:
    return sorted((Path(root) / "observations" / "_delta_log").glob("*.json"))


def revise(store: Store, value: float) -> None:
    rows = store.current("observations").head(3)[schema.OBSERVATION_COLUMNS].assign(value=value)
    store.publish("observations", rows, user="lan", file_name="revise.csv")


def named_version(store_version: int, kind: str) -> int:
    """The version the message names for `kind`, on a store whose build
    ended at `store_version`."""
    version = KINDS[kind][1]
    return 0 if kind == "first_log_missing" else store_version + version


def revise_twice(store: Store) -> int:
    """Two publishes on top of the build; the build's last version."""
    built = store.version("observations")
    revise(store, 1.5)  # version built + 1
    revise(store, 2.5)  # version built + 2
    return built


def damage(store: Store, kind: str) -> None:
    """Two publishes on top of the build, then damage of `kind` in observations."""
    break_log(store, kind, revise_twice(store))


def break_log(store: Store, kind: str, built: int) -> None:
    """Damage of `kind` in observations of a store revised twice after its build ended at `built`."""
    logs = log_files(store.root)[built:]
    if kind == "truncated":
        data = logs[1].read_bytes()
        logs[1].write_bytes(data[: len(data) // 2])
        logs[2].unlink()  # version 1 becomes the newest, cut in the middle of a line
    elif kind == "garbage":
        logs[2].unlink()
        logs[1].write_bytes(b"\x00\xff not json at all")
    elif kind == "empty":
        logs[2].unlink()
        logs[1].write_bytes(b"")
    elif kind == "log_gap":
        logs[1].unlink()
    elif kind == "first_log_missing":
        log_files(store.root)[0].unlink()
    else:
        added_by_v1 = [p for p in Path(store.root, "observations").glob("*.parquet") if p.name in logs[1].read_text()]
        assert added_by_v1
        if kind == "parquet_missing":
            added_by_v1[0].unlink()
        else:
            added_by_v1[0].write_bytes(b"PAR1 garbage, not a Parquet file")


@pytest.fixture(scope="module")
def revised(built_store, tmp_path_factory) -> tuple[Path, int]:
    """The built store revised twice, once for the module (publishing costs
    time; each test damages its own copy); its root and the build's last version."""
    root = tmp_path_factory.mktemp("revised") / "store"
    shutil.copytree(built_store.root, root)
    return root, revise_twice(Store(root))


@pytest.fixture(params=list(KINDS))
def damaged(request, revised, tmp_path, monkeypatch) -> tuple[Store, str, int]:
    """A damaged store, the kind of damage and the version its message names."""
    source, built = revised
    store = Store(shutil.copytree(source, tmp_path / "store"))
    break_log(store, request.param, built)
    monkeypatch.setenv("PLAN_STORE", store.root)
    return store, request.param, named_version(built, request.param)


def test_the_store_names_the_table_and_the_version(damaged):
    store, kind, version = damaged
    words = KINDS[kind][0]
    with pytest.raises(StoreDamaged) as caught:
        Store(store.root).current("observations")
    assert (caught.value.table, caught.value.version) == ("observations", version)
    assert words in caught.value.message("en")
    assert caught.value.message("vi").startswith("Kho dữ liệu bị hỏng: bảng observations")
    found = Store(store.root).check()
    assert [(d.table, d.version) for d in found] == [("observations", version)]


def test_the_command_line_says_one_line_and_fails(damaged, tmp_path, capsys):
    store, kind, version = damaged
    words = KINDS[kind][0]
    out = tmp_path / "out.csv"
    for argv in (["check"], ["export", "observations", "-o", str(out)], ["import", str(REVISION)]):
        assert main([*argv, "--store", store.root, "--lang", "en"]) == 1, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert err[0].startswith(f"The store is damaged: table observations, version {version}: ") and words in err[0]
        assert "Traceback" not in "\n".join(err) and "panicked" not in "\n".join(err)
    assert not out.exists()


def test_publishing_onto_a_damaged_table_is_refused(damaged):
    store, kind, _ = damaged
    before = sorted(os.listdir(Path(store.root) / "observations" / "_delta_log"))
    with pytest.raises(StoreDamaged):
        revise(Store(store.root), 9.5)
    assert sorted(os.listdir(Path(store.root) / "observations" / "_delta_log")) == before


@pytest.mark.parametrize(("page", "language"), [("overview", "en"), ("history", "vi")])
def test_pages_show_one_line(damaged, page, language):
    store, kind, version = damaged
    words = KINDS[kind][0]
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(REPO_ROOT / "pages" / f"{page}.py"), default_timeout=90)
    at.query_params["lang"] = language
    at.run()
    assert [e.value for e in at.exception] == []
    assert len(at.error) == 1
    message = at.error[0].value
    if language == "en":
        assert message.startswith(f"The store is damaged: table observations, version {version}: ") and words in message
    else:
        assert message.startswith(f"Kho dữ liệu bị hỏng: bảng observations, phiên bản {version}: ")


def test_a_sound_store_checks_clean(fresh_store):
    revise(fresh_store, 1.5)
    result = subprocess.run([sys.executable, "-m", "loaders", "check", "--store", fresh_store.root],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "tất cả tệp nhật ký và tệp dữ liệu đều đọc được" in result.stdout


def test_check_on_the_command_line_exits_non_zero(fresh_store):
    version = named_version(fresh_store.version("observations"), "empty")
    damage(fresh_store, "empty")
    result = subprocess.run([sys.executable, "-m", "loaders", "check", "--store", fresh_store.root],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(f"Kho dữ liệu bị hỏng: bảng observations, phiên bản {version}: tệp nhật ký")
    assert "Traceback" not in result.stderr and "backtrace" not in result.stderr.lower()
