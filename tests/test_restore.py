"""Restore says what it did (issue 11 item 11), and the command line
records the operating-system account beside --user in its commits (item 10)."""

from __future__ import annotations

import getpass
import shutil

import pytest

from loaders.__main__ import main
from tests.conftest import ASSETS
from tracker import schema
from tracker.errors import TrackerError
from tracker.store import Store

REVISION = ASSETS / "data_update" / "revise_and_add.csv"


def revise(store: Store, value: float) -> int:
    rows = store.current("observations").head(3)[schema.OBSERVATION_COLUMNS].assign(value=value)
    return store.publish("observations", rows, user="lan", file_name="revise.csv").version


def test_restoring_the_current_content_makes_no_version(fresh_store, capsys):
    first = revise(fresh_store, 1.5)
    revise(fresh_store, 2.5)
    restored = fresh_store.restore("observations", first, user="lan")  # content of `first` is current again
    assert restored == first + 2
    with pytest.raises(TrackerError) as caught:
        fresh_store.restore("observations", first, user="lan")
    assert caught.value.key == "store.same_content"
    assert fresh_store.version("observations") == restored

    assert main(["restore", str(first), "--store", fresh_store.root, "--lang", "en"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"Version {first} of table observations holds the same content as the current version "
                   f"({restored}); no new version was made.")
    assert fresh_store.version("observations") == restored


def test_restoring_a_table_the_store_lacks_says_so(fresh_store, capsys):
    assert not fresh_store.exists("task_reports")
    assert main(["restore", "0", "--table", "task_reports", "--store", fresh_store.root, "--lang", "en"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"The store at {fresh_store.root} has no table task_reports; there is no version to restore.")


def test_the_command_line_records_the_os_account(fresh_store, tmp_path):
    csv = tmp_path / REVISION.name
    shutil.copy(REVISION, csv)
    assert main(["import", str(csv), "--user", "lan", "--store", fresh_store.root]) == 0
    assert main(["restore", "0", "--store", fresh_store.root, "--user", "lan"]) == 0
    history = Store(fresh_store.root).history(("observations",))
    newest_two = history.head(2)
    assert list(newest_two["action"]) == ["restore", "publish"]
    assert set(newest_two["user"]) == {"lan"}
    assert set(newest_two["os_user"]) == {getpass.getuser()}
