"""`python -m loaders VERB [--store PATH]`: the data command line (SPEC §8).

The same code as the app: every verb calls the module the app calls. Each
verb prints what it did; any error prints a clear message and exits 1.
Each verb imports its own modules when it runs: a `build` or an `export`
never pays for plotly, kaleido or python-pptx."""

# ruff: noqa: E402  (the imports after the early start of Chromium below)
from __future__ import annotations

import sys

from tracker.errors import TrackerError

# `chart` and `deck` draw in Chromium, which takes seconds to start and load plotly.js: start it before
# the imports below (pandas, deltalake, pandera: 1-1.5 s), so that both happen at once.
if __name__ == "__main__" and {"chart", "deck"} & set(sys.argv[1:]):
    from tracker.outputs import browser

    try:
        browser.start(tabs=1 if "chart" in sys.argv[1:] else browser.TABS)
    except TrackerError:
        pass  # no Chromium: the verb says so in the user's language when it draws

import argparse
import os
from pathlib import Path

import pandas as pd
from deltalake.exceptions import DeltaError

from tracker import schema, views
from tracker.i18n import LANGS, t
from tracker.outputs import tabular
from tracker.outputs.files import write_atomic
from tracker.store import CATALOGUE_TABLES, REVISION_TABLES, Store, default_root

EXPORT_TABLES = ("observations", "indicators", "tasks", "task_reports", "scorecard", "compliance") + tuple(
    t_ for t_ in CATALOGUE_TABLES if t_ not in ("indicators", "tasks")
)


def parser() -> argparse.ArgumentParser:
    def options(default) -> argparse.ArgumentParser:
        # Given before the verb (defaults) or after it (SUPPRESS keeps the value given before).
        common = argparse.ArgumentParser(add_help=False)
        common.add_argument("--store", default=default(None), help=f"store root (default: $PLAN_STORE or {default_root()})")
        common.add_argument("--lang", choices=LANGS, default=default("vi"), help="language of messages and exported headers")
        return common

    main = argparse.ArgumentParser(prog="python -m loaders", description=__doc__, parents=[options(lambda d: d)])
    common = options(lambda d: argparse.SUPPRESS)
    verbs = main.add_subparsers(dest="verb", required=True, metavar="VERB")

    verbs.add_parser("build", parents=[common], help="build or update the store from the seed files in data/")

    p = verbs.add_parser("template", parents=[common], help="write the analysts' Excel template")
    p.add_argument("-o", "--output", required=True, type=Path)

    p = verbs.add_parser("import", parents=[common], help="validate and publish an .xlsx or .csv file")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="validate and preview only; write nothing")
    p.add_argument("--user", default=None, help="who publishes (default: the login name)")
    p.add_argument("--kind", choices=schema.KINDS, help="for a wide sheet: the kind of its figures")
    p.add_argument("--period", choices=schema.PERIODS, help="for a wide sheet: the period of its figures")

    p = verbs.add_parser("read", parents=[common], help="read the figures of a report (.docx, .pdf, .txt, .md) for review")
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=int, help="the year of figures whose text does not say it")
    p.add_argument("--period", choices=schema.PERIODS, help="the period of figures whose text does not say it")
    p.add_argument("--area", help="the area of every figure (default: the home province in data/areas.csv)")
    p.add_argument("--format", dest="fmt", default="csv", choices=("csv", "xlsx"))
    p.add_argument("-o", "--output", required=True, type=Path)

    p = verbs.add_parser("export", parents=[common], help="export a table")
    p.add_argument("table", choices=EXPORT_TABLES)
    p.add_argument("--format", dest="fmt", default="csv", help="csv, xlsx or parquet")
    p.add_argument("-o", "--output", required=True, type=Path)
    p.add_argument("--year", type=int)
    p.add_argument("--period", default="FY", choices=schema.PERIODS)
    p.add_argument("--version", type=int, default=None, help="observations/task_reports as of this version")

    p = verbs.add_parser("history", parents=[common], help="list every version")
    p.add_argument("--table", choices=tuple(REVISION_TABLES) + CATALOGUE_TABLES, action="append")

    p = verbs.add_parser("restore", parents=[common], help="make an earlier version current again (as a new version)")
    p.add_argument("version", type=int)
    p.add_argument("--table", default="observations", choices=tuple(REVISION_TABLES) + CATALOGUE_TABLES)
    p.add_argument("--user", default=None)

    verbs.add_parser("check", parents=[common], help="read every table's log and data files; exit 0 only if all are sound")

    p = verbs.add_parser("chart", parents=[common], help="render an indicator's chart as an image")
    p.add_argument("indicator_id")
    p.add_argument("--format", dest="fmt", default="png", choices=("png", "svg", "pdf"))
    p.add_argument("-o", "--output", required=True, type=Path)
    p.add_argument("--year", type=int, default=None, help="the year the chart is about (default: newest)")

    p = verbs.add_parser("deck", parents=[common], help="a PowerPoint deck for a year and period")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--period", default="FY", choices=schema.PERIODS)
    p.add_argument("-o", "--output", required=True, type=Path)

    p = verbs.add_parser("summary", parents=[common], help="the December summary of the border plan (88/KH-UBND)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--format", dest="fmt", default="docx", choices=("docx", "xlsx"))
    p.add_argument("-o", "--output", required=True, type=Path)

    p = verbs.add_parser("adduser", parents=[common], help="add or change an analyst's login (password asked, stored hashed)")
    p.add_argument("username")
    p.add_argument("--role", default="analyst", choices=("analyst", "viewer"))
    p.add_argument("--secrets", type=Path, default=None, help="secrets file (default: .streamlit/secrets.toml)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    return main


def login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


def export_frame(store: Store, args) -> pd.DataFrame:
    """The frame `export` writes for the chosen table."""
    if args.table == "observations":
        return store.current("observations", args.version)[schema.OBSERVATION_COLUMNS]
    if args.table == "task_reports":
        frame = store.current("task_reports", args.version)[schema.TASK_REPORT_COLUMNS]
        frame["reported_on"] = frame["reported_on"].dt.strftime("%Y-%m-%d")
        return frame
    if args.table == "scorecard":
        if args.year is None:
            raise TrackerError("cli.needs_year")
        from tracker.scorecard import scorecard_table

        return scorecard_table(store, args.year, args.period, args.lang)
    if args.table == "compliance":
        if args.year is None:
            raise TrackerError("cli.needs_year")
        from tracker.border import compliance_table

        return compliance_table(store, args.year, args.lang)
    return store.current(args.table)


def run(args) -> int:
    # Every commit the command line makes records the OS account beside --user.
    store = Store(args.store, os_user=login_name())
    lang = args.lang
    if args.verb == "build":
        from loaders import seed

        result = seed.run(store)
        current = store.current("observations")
        print(t(
            "cli.built", lang, root=store.root, indicators=len(store.current("indicators")),
            observations=len(current), added=result.observations.added, revised=result.observations.revised,
            tasks=len(store.current("tasks")), agencies=len(store.current("agencies")),
        ))
        return 0

    if args.verb == "template":
        from loaders.template import write_template

        store.require()
        write_template(store, args.output, lang)
        print(args.output)
        return 0

    if args.verb == "import":
        from loaders.reading import review  # noqa: F401  registers the report formats (.docx, .pdf, .txt, .md)
        from loaders.upload import run_import

        store.require()
        if not args.file.exists():
            raise TrackerError("cli.file_missing", path=str(args.file))
        return run_import(
            store, args.file, user=args.user or login_name(), dry_run=args.dry_run, lang=lang,
            kind=args.kind, period=args.period,
        )

    if args.verb == "read":
        from loaders.reading import read_file
        from loaders.reading.output import write_reading

        reading = read_file(args.file, year=args.year, period=args.period, area=args.area, lang=lang)
        written = write_reading(reading, args.output, args.fmt, lang)
        print(t("reading.cli_done", lang, figures=len(reading.figures), unplaced=len(reading.unplaced),
                paths=", ".join(str(p) for p in written)))
        return 0

    if args.verb == "export":
        if args.fmt not in tabular.FORMATS:
            raise TrackerError("cli.unknown_format", format=args.fmt, formats=", ".join(tabular.FORMATS))
        store.require()
        frame = export_frame(store, args)
        tabular.write(frame, args.output, args.fmt, sheet_name=args.table)
        print(t("cli.exported", lang, rows=len(frame), path=args.output))
        return 0

    if args.verb == "history":
        store.require()
        frame = views.history_table(store.history(tuple(args.table) if args.table else None), lang)
        with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 40):
            print(frame.to_string(index=False))
        return 0

    if args.verb == "restore":
        store.require()
        new_version = store.restore(args.table, args.version, user=args.user or login_name())
        print(t("cli.restored", lang, table=args.table, version=args.version, new_version=new_version))
        return 0

    if args.verb == "check":
        return check(store, lang)

    if args.verb == "chart":
        from tracker.outputs.images import chart_file

        store.require()
        chart_file(store, args.indicator_id, args.fmt, args.output, lang=lang, year=args.year)
        print(args.output)
        return 0

    if args.verb == "deck":
        from tracker.outputs.deck import build_deck

        store.require()
        write_atomic(args.output, build_deck(store, args.year, args.period, lang))
        print(args.output)
        return 0

    if args.verb == "summary":
        from tracker.border_summary import december_summary

        store.require()
        write_atomic(args.output, december_summary(store, args.year, args.fmt, lang))
        print(args.output)
        return 0

    if args.verb == "adduser":
        from tracker.auth import add_user_cli

        return add_user_cli(args)
    raise AssertionError(args.verb)


def check(store: Store, lang: str) -> int:
    """`check`: one line per damaged table (exit 1), or that all are sound (exit 0)."""
    store.require()
    damaged = store.check()
    for damage in damaged:
        print(damage.message(lang), file=sys.stderr)
    if damaged:
        print(t("cli.check_damaged", lang, root=store.root, count=len(damaged)), file=sys.stderr)
        return 1
    print(t("cli.check_sound", lang, root=store.root, tables=len(store.versions())))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except TrackerError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    except (OSError, ValueError, DeltaError) as exc:  # first line only: never a Rust backtrace
        print(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr)
        return 1


def exit_now(code: int) -> None:
    """End the process with `code` once the work is done and written.

    Interpreter teardown is skipped (os._exit): the native thread pools of
    pyarrow and deltalake can still hold joinable C++ threads then, and
    destroying one aborts the process ("terminate called without an active
    exception", exit -6) after the command has already succeeded; delta-rs
    issue 2184. Everything the command wrote went through write_atomic or a
    Delta commit and is on disk; output streams are flushed and kaleido's
    Chromium is stopped first, so nothing is lost or left running."""
    browser = sys.modules.get("tracker.outputs.browser")  # imported only by the verbs that draw
    if browser is not None:
        browser.stop()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
