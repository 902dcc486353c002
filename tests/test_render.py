"""Slide-ready chart images (tracker.outputs.images) and the CLI verb `chart`: real
renders through kaleido and the system Chromium, checked as images."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from loaders.__main__ import main
from tracker import charts
from tracker.errors import TrackerError
from tracker.model import ChartSpec, Facts
from tracker.outputs import browser, images

GRDP_TITLE = "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP)"
SOURCE = "Nguồn: 120/KH-UBND 10/8/2018"


def sample_spec(title: str = "Biểu đồ thử nghiệm: tăng trưởng theo khu vực kinh tế", lang: str = "vi") -> ChartSpec:
    """TEST DATA, not figures from the plans: a grouped bar chart with long
    Vietnamese category labels, shaped like the charts module's charts."""
    sectors = ["Nông, lâm nghiệp và thủy sản", "Công nghiệp và xây dựng", "Dịch vụ",
               "Thuế sản phẩm trừ trợ cấp sản phẩm"]
    fig = go.Figure()
    fig.add_bar(x=sectors, y=[1.5, 12.0, 6.0, 4.0], name="Dữ liệu thử A", text=["1,5", "12", "6", "4"])
    fig.add_bar(x=sectors, y=[2.0, 10.0, 7.0, 5.0], name="Dữ liệu thử B", text=["2", "10", "7", "5"])
    fig.update_layout(barmode="group", separators=",.", yaxis_title="%")
    data = pd.DataFrame({"Khu vực": sectors, "Dữ liệu thử A (%)": [1.5, 12.0, 6.0, 4.0], "Ghi chú": ["=1+1", "", "", ""]})
    return ChartSpec(
        chart_id="test.sectors", title=title, unit="%", period="kỳ thử nghiệm", kinds="dữ liệu thử A; dữ liệu thử B",
        target="8 - 9%", source="tài liệu thử nghiệm 01/2024", as_of="01/01/2024", figure=fig, data=data, lang=lang,
    )


@pytest.fixture(scope="module")
def grdp(plan_120_store) -> ChartSpec:
    return charts.indicator_chart(Facts.from_store(plan_120_store), "grdp_growth", "vi", year=2018)


def image(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def assert_projector_ready(pixels: np.ndarray, width: int, height: int) -> None:
    """At least `width`×`height`, 16:9, many colours, and a white frame all
    round: nothing is drawn to (or cut off at) the edge."""
    h, w, _ = pixels.shape
    assert (w, h) >= (width, height) and abs(w / h - 16 / 9) < 0.01
    colours = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(colours) > 50
    dark = (pixels.min(axis=2) < 128).mean()
    assert 0.005 < dark < 0.5  # text and marks, not an empty or a black page
    edge = max(4, w // 200)
    frame = np.concatenate([pixels[:edge].reshape(-1, 3), pixels[-edge:].reshape(-1, 3),
                            pixels[:, :edge].reshape(-1, 3), pixels[:, -edge:].reshape(-1, 3)])
    assert (frame >= 250).all()


def test_png_of_a_real_chart_is_1920_by_1080_and_drawn(grdp):
    data = images.figure_bytes(grdp, "png")
    assert data.startswith(b"\x89PNG")
    pixels = image(data)
    assert pixels.shape[:2] == (1080, 1920)
    assert_projector_ready(pixels, 1920, 1080)


def test_svg_carries_title_subtitle_and_source_with_diacritics(grdp):
    svg = images.figure_bytes(grdp, "svg").decode("utf-8")
    assert svg.startswith("<svg") and 'width="1280"' in svg and 'height="720"' in svg
    assert GRDP_TITLE in svg
    assert "Đơn vị: %" in svg
    assert f"{SOURCE} · Số liệu đến 10/08/2018" in svg
    assert "DejaVu Sans" in svg  # a font with every Vietnamese diacritic comes first


def test_pdf_renders_to_a_drawn_16_9_page(grdp, tmp_path):
    pdf = images.figure_bytes(grdp, "pdf")
    assert pdf.startswith(b"%PDF")
    (tmp_path / "chart.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "chart.pdf"), str(tmp_path / "page")],
                   check=True)
    pixels = np.asarray(Image.open(tmp_path / "page.png").convert("RGB"))
    assert_projector_ready(pixels, 1920, 1080)


def test_pdf_text_is_text_with_its_diacritics_and_its_fonts_embedded(grdp, tmp_path):
    path = tmp_path / "chart.pdf"
    path.write_bytes(images.figure_bytes(grdp, "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert GRDP_TITLE in text and "Đơn vị: %" in text and SOURCE in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Page size:       960 x 540 pts" in info and "Pages:           1" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all("DejaVuSans" in row and row.split()[-5] == "yes" for row in fonts)  # emb column


def test_without_rsvg_convert_a_pdf_says_what_to_install(monkeypatch):
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, **kw: None if name == "rsvg-convert" else which(name, **kw))
    with pytest.raises(TrackerError) as error:
        images.figure_bytes(sample_spec(), "pdf")
    assert error.value.message("vi").startswith("Máy chủ này chưa cài chương trình rsvg-convert")
    assert "librsvg2-bin" in error.value.message("en")


def test_a_long_title_and_long_labels_wrap_and_nothing_is_cut_off():
    spec = sample_spec(title="Biểu đồ thử nghiệm có tên rất dài để kiểm tra việc xuống dòng: " * 3)
    fig = images.slide_figure(spec)
    title, subtitle, source = [a.text for a in fig.layout.annotations]
    assert title.count("<br>") >= 2 and all(len(line) <= 70 for line in title.split("<br>"))
    assert subtitle == "Đơn vị: % · kỳ thử nghiệm · dữ liệu thử A; dữ liệu thử B<br>Kế hoạch: 8 - 9%"
    assert source == "Nguồn: tài liệu thử nghiệm 01/2024 · Số liệu đến 01/01/2024"
    assert "Nông, lâm nghiệp và<br>thủy sản" in fig.layout.xaxis.ticktext
    assert fig.layout.xaxis.tickangle == 0
    assert fig.layout.margin.t > images.slide_figure(sample_spec()).layout.margin.t
    assert_projector_ready(image(images.render(fig, "png")), 1920, 1080)


def test_the_source_line_follows_the_language():
    fig = images.slide_figure(sample_spec(lang="en"))
    assert fig.layout.annotations[-1].text == "Source: tài liệu thử nghiệm 01/2024 · Figures as of 01/01/2024"
    assert fig.layout.annotations[1].text.startswith("Unit: % · ")


def test_the_slide_copy_leaves_the_page_chart_alone():
    spec = sample_spec()
    before = spec.figure.to_json()
    images.slide_figure(spec)
    assert spec.figure.to_json() == before


def test_an_unknown_format_is_refused():
    with pytest.raises(TrackerError) as error:
        images.render(go.Figure(), "gif")
    assert error.value.key == "cli.unknown_format"


def test_a_failed_drawing_raises_and_the_next_export_gets_a_fresh_browser():
    spec = sample_spec()
    first = browser.start()
    with pytest.raises(ValueError, match="gif"):  # kaleido refuses the format after the browser took the call
        browser.draw(images.slide_figure(spec).to_dict(), {"format": "gif", "width": 1280, "height": 720})
    assert first.failed  # a tab may have been lost: the browser is not used again
    svg = images.figure_bytes(spec, "svg").decode("utf-8")
    assert browser.start() is not first and "Biểu đồ thử nghiệm" in svg


def test_one_tab_draws_figure_after_figure_each_its_own_and_is_reloaded_on_schedule(monkeypatch):
    import kaleido

    assert "_return_kaleido_tab" in vars(kaleido.Kaleido)  # the kaleido method ExportBrowser's own replaces
    monkeypatch.setattr(browser, "RELOAD_AFTER", 2)
    reloads = []
    real_reload = kaleido._kaleido_tab._tab._KaleidoTab.reload

    async def counted_reload(tab):
        reloads.append(tab)
        await real_reload(tab)

    monkeypatch.setattr(kaleido._kaleido_tab._tab._KaleidoTab, "reload", counted_reload)
    one_tab = browser.ExportBrowser(browser.browser_path(), tabs=1)
    try:
        titles = [f"Biểu đồ thử nghiệm số {n}" for n in range(1, 4)]
        svgs = [one_tab.draw(images.slide_figure(sample_spec(title)).to_dict(),
                             {"format": "svg", "width": 1280, "height": 720}).decode("utf-8") for title in titles]
    finally:
        one_tab.close()
    for title, svg in zip(titles, svgs, strict=True):  # nothing of the figure before is left in the next
        assert [other for other in titles if other in svg] == [title]
    assert len(reloads) == 1  # after the second figure, not after each one


def test_without_a_browser_the_export_says_what_to_install(monkeypatch):
    from choreographer.browsers.chromium import Chromium

    monkeypatch.setattr(browser, "_running", None)  # as in a process that has not drawn yet
    monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kwargs: None))
    monkeypatch.setattr(browser.shutil, "which", lambda program: None)  # nor a headless shell
    with pytest.raises(TrackerError) as error:
        images.figure_bytes(sample_spec(), "png")
    assert error.value.message("en").startswith("No Chromium browser was found to draw the chart images.")


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<svg"), ("pdf", b"%PDF")])
def test_cli_chart_writes_each_format(built_store, tmp_path, capsys, fmt, magic):
    out = tmp_path / f"grdp.{fmt}"
    code = main(["chart", "grdp_growth", "--format", fmt, "-o", str(out), "--store", str(built_store.root), "--year", "2018"])
    assert code == 0
    assert out.read_bytes().startswith(magic)
    assert capsys.readouterr().out.strip() == str(out)
    assert not list(tmp_path.glob("*.part"))


def test_cli_chart_of_an_unknown_indicator_says_so_and_writes_nothing(built_store, tmp_path, capsys):
    out = tmp_path / "x.png"
    code = main(["chart", "grdp_grwoth", "-o", str(out), "--store", str(built_store.root)])
    assert code == 1
    assert not out.exists()
    assert capsys.readouterr().err.startswith(
        "Không có chỉ tiêu “grdp_grwoth” trong danh mục. Mã gần giống: grdp_growth")


def test_cli_chart_of_a_year_without_figures_says_so(built_store, tmp_path, capsys):
    code = main(["chart", "grdp_growth", "-o", str(tmp_path / "x.png"), "--store", str(built_store.root),
                 "--year", "1999", "--lang", "en"])
    assert code == 1
    assert capsys.readouterr().err.strip() == "Indicator “grdp_growth” has no figures for 1999 to chart"


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list is not installed")
def test_a_font_with_vietnamese_coverage_is_installed():
    families = subprocess.run(["fc-list", ":lang=vi", "family"], capture_output=True, text=True, check=True).stdout
    assert "DejaVu Sans" in families  # Debian package fonts-dejavu-core


def test_the_export_browsers_plotly_js_is_the_basic_bundle_of_plotlys_own_version():
    from plotly.offline import get_plotlyjs_version

    banner = browser.PLOTLY_JS.read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}" in banner


def test_every_trace_the_code_draws_is_one_the_export_bundle_has():
    """Every trace type named in tracker/, ui/ and pages/ (go.Bar(...),
    fig.add_bar(...), {"type": "bar"}) is one the basic bundle draws."""
    from plotly.basedatatypes import BaseTraceType

    # plotly's trace classes by name (go.Bar) and their types ("bar", which fig.add_bar adds).
    classes = {name: getattr(go, name) for name in dir(go)}  # plotly imports them on first use
    traces = {name: kind().type for name, kind in classes.items()
              if isinstance(kind, type) and issubclass(kind, BaseTraceType)}
    root = Path(__file__).resolve().parents[1]
    named = set()
    for path in [*root.glob("tracker/**/*.py"), *root.glob("ui/**/*.py"), *root.glob("pages/**/*.py")]:
        code = path.read_text(encoding="utf-8")
        if "plotly" not in code:  # python-docx and python-pptx have an add_table too
            continue
        named |= {traces[name] for name in re.findall(r"\bgo\.([A-Z]\w*)\(", code) if name in traces}
        named |= set(re.findall(r"\.add_([a-z]+)\(", code)) & set(traces.values())
        named |= set(re.findall(r"""["']type["']\s*:\s*["']([a-z]+)["']""", code)) & set(traces.values())
    assert {"bar", "scatter"} <= named <= browser.TRACES


def test_a_figure_with_a_trace_outside_the_bundle_is_refused_not_drawn_blank():
    heatmap = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])).to_dict()
    with pytest.raises(ValueError, match="heatmap"):
        browser.draw(heatmap, {"format": "svg", "width": 1280, "height": 720})
