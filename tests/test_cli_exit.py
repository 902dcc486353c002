"""The command line ends cleanly, every time: `build` and `import` run as
real processes several times over, each exiting 0 with nothing on stderr
but its own words. (Once in 22 runs `build` printed its success line and
then aborted, "terminate called without an active exception", exit -6: a
native thread pool torn down at interpreter exit; loaders.__main__.exit_now.)"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ASSETS, REPO_ROOT

RUNS = 4


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300)


def test_build_and_import_exit_zero_every_time(tmp_path):
    root = str(tmp_path / "store")
    for run in range(RUNS):
        built = cli("build", "--store", root)
        assert built.returncode == 0, (run, built.returncode, built.stderr[-2000:])
        assert "terminate called" not in built.stderr
        imported = cli("import", str(ASSETS / "upload" / "good_analyst.csv"), "--store", root, "--user", "test")
        assert imported.returncode == 0, (run, imported.returncode, imported.stderr[-2000:])
        assert "terminate called" not in imported.stderr
    dry = cli("import", str(ASSETS / "upload" / "good_analyst.csv"), "--store", root, "--dry-run")
    assert dry.returncode == 0 and "terminate called" not in dry.stderr


def test_a_failing_command_still_exits_one(tmp_path):
    failed = cli("import", str(tmp_path / "missing.csv"), "--store", str(tmp_path / "none"))
    assert failed.returncode == 1 and failed.stderr.strip()
