"""`python -m loaders`: the foundation verbs and their errors, run as a user
runs them (a subprocess) where the exit code matters."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from loaders.__main__ import main
from tests.conftest import REPO_ROOT
from tracker import schema


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )


def test_build_then_export_observations_csv(tmp_path):
    store = tmp_path / "store"
    built = cli("build", "--store", str(store))
    assert built.returncode == 0, built.stderr
    assert "Đã xây dựng kho" in built.stdout
    out = tmp_path / "obs.csv"
    done = cli("export", "observations", "--format", "csv", "-o", str(out), "--store", str(store))
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out)
    assert list(frame.columns) == schema.OBSERVATION_COLUMNS
    row = frame[(frame.indicator_id == "trade_turnover") & (frame.year == 2018) & (frame.period == "H1")].iloc[0]
    assert (row.value, row.pct_of_plan, row.yoy_pct, row.kind) == (2430.0, 50.4, 5.0, "actual")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
@pytest.mark.parametrize("table", ["observations", "indicators", "tasks"])
def test_export_formats(built_store, tmp_path, table, fmt):
    out = tmp_path / f"{table}.{fmt}"
    assert main(["export", table, "--format", fmt, "-o", str(out), "--store", built_store.root]) == 0
    read = {"csv": pd.read_csv, "xlsx": lambda p: pd.read_excel(p, engine="calamine"), "parquet": pd.read_parquet}[fmt]
    frame = read(out)
    assert len(frame) == len(built_store.current(table))
    if table == "tasks":
        assert frame["text_vi"].str.contains("biên giới").any()


def test_history_and_restore(fresh_store, capsys):
    root = fresh_store.root
    # The build publishes the seed in a few commits (one per layer of revisions): the newest is current.
    current = str(fresh_store.version("observations"))
    assert main(["restore", current, "--store", root, "--user", "test"]) == 1
    assert "đang là phiên bản hiện tại" in capsys.readouterr().err
    figures = fresh_store.current("observations").head(1).assign(value=-1.0, qualifier="exact", low=None, high=None)
    fresh_store.publish("observations", figures[schema.OBSERVATION_COLUMNS], user="test")
    assert main(["history", "--store", root]) == 0
    assert "build" in capsys.readouterr().out
    assert main(["restore", "0", "--store", root, "--user", "test"]) == 0
    assert "phiên bản mới" in capsys.readouterr().out
    assert fresh_store.history().iloc[0]["action"] == "restore"


@pytest.mark.parametrize(
    "args, message",
    [
        (["export", "nonsense", "-o", "x.csv"], "invalid choice"),
        (["export", "observations", "--format", "doc", "-o", "x.doc"], "Định dạng “doc”"),
        (["restore", "999"], "không có phiên bản 999"),
        (["export", "scorecard", "-o", "x.csv"], "--year"),
    ],
)
def test_errors_exit_non_zero_with_a_message(built_store, tmp_path, args, message, capsys):
    # In this process (a new Python per case cost more than the rest of the file); the exit
    # code of a real process is tested in test_missing_store_is_a_clear_error and test_cli_exit.py.
    try:
        code = main([*args, "--store", built_store.root])
    except SystemExit as exc:  # argparse's own errors end the parse
        code = exc.code
    assert code != 0
    assert message in capsys.readouterr().err


def test_missing_store_is_a_clear_error(tmp_path):
    done = cli("history", "--store", str(tmp_path / "none"))
    assert done.returncode == 1
    assert "python -m loaders build" in done.stderr
    done = cli("history", "--store", str(tmp_path / "none"), "--lang", "en")
    assert "There is no store" in done.stderr


def test_store_and_lang_work_before_or_after_the_verb(built_store, tmp_path, capsys):
    for args in (["--store", built_store.root, "--lang", "en", "history"], ["history", "--store", built_store.root, "--lang", "en"]):
        assert main(args) == 0
        out = capsys.readouterr().out
        # One language throughout: headers, actions and times (Vietnam's clock).
        assert "Version" in out and "When (Vietnam time)" in out and "Built from the seed files" in out
        assert "Phiên bản" not in out and "timestamp" not in out and "UTC" not in out
