"""The output registry (tracker.outputs): one atomic write and one table
writer whose sheets all follow one width rule."""

from __future__ import annotations

import io
import os
import stat

import openpyxl
import pandas as pd
import pytest

from tracker.outputs import MIME, images, tabular
from tracker.outputs.files import write_atomic


def test_write_atomic_replaces_whole_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "báo cáo.csv"
    path.write_bytes(b"old")
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["báo cáo.csv"]
    write_atomic(tmp_path / "secrets.toml", b"x", mode=0o600)
    assert stat.S_IMODE((tmp_path / "secrets.toml").stat().st_mode) == 0o600


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "deck.pptx"
    path.write_bytes(b"old deck")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomic(path, b"half")
    assert path.read_bytes() == b"old deck"
    assert os.listdir(tmp_path) == ["deck.pptx"]


def test_every_sheet_follows_one_width_rule_and_wraps_long_text():
    frame = pd.DataFrame({"id": ["a", "b"], "Giải thích": ["ngắn", "dài " * 40], "x": [1.5, 2.0]})
    book = openpyxl.load_workbook(io.BytesIO(tabular.workbook_bytes({"một": frame, "hai": frame})))
    for sheet in book.worksheets:
        widths = [sheet.column_dimensions[c].width for c in "ABC"]
        # xlsxwriter stores a width plus Excel's 5-pixel padding (0.71 of a character).
        assert [round(w - 0.71) for w in widths] == [tabular.column_width(c, frame[c]) for c in frame.columns]
        assert [round(w - 0.71) for w in widths] == [10, tabular.MAX_WIDTH, 10]
        assert sheet["B3"].alignment.wrap_text
    single = openpyxl.load_workbook(io.BytesIO(tabular.to_bytes(frame, "xlsx", sheet_name="một")))
    assert single.worksheets[0].column_dimensions["B"].width == book.worksheets[0].column_dimensions["B"].width


def test_excel_dates_are_vietnam_time():
    frame = pd.DataFrame({"published_at": pd.to_datetime(["2026-11-30 18:30:00"]).tz_localize("UTC")})
    sheet = openpyxl.load_workbook(io.BytesIO(tabular.to_bytes(frame, "xlsx"))).worksheets[0]
    assert sheet["A2"].value.strftime("%d/%m/%Y %H:%M") == "01/12/2026 01:30"


def test_every_format_has_a_mime_type():
    assert set(tabular.FORMATS) | set(images.FORMATS) | {"pptx", "docx", "zip"} <= set(MIME)
