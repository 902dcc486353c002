"""Download buttons under a chart: the chart as PNG, SVG or PDF for a slide,
and its data as Excel or CSV.

Images are rendered only when a button is pressed (Streamlit runs a
callable `data` on click), and kept by chart content, so a page with eight
charts renders nothing on a rerun and each image at most once."""

from __future__ import annotations

import hashlib

import streamlit as st

from tracker.i18n import t
from tracker.model import ChartSpec
from tracker.outputs import MIME, datapack, images


@st.cache_resource(show_spinner=False)
def images_available() -> bool:
    """Whether this server can draw images (a Chromium is installed);
    asked once per server process."""
    return images.browser_path() is not None


def images_unavailable_note(lang: str) -> bool:
    """Say in the page, before anything is clicked, why PNG, SVG, PDF and
    the deck cannot be made here; True when that is the case."""
    if images_available():
        return False
    st.caption(f":material/info: {t('outputs.images_unavailable', lang)}")
    return True


def pdf_unavailable_note(lang: str) -> bool:
    """Say in the page why PDF cannot be made here (no rsvg-convert); True
    when that is the case."""
    if images.pdf_converter() is not None:
        return False
    st.caption(f":material/info: {t('exports.no_pdf_converter', lang)}")
    return True


@st.cache_resource(show_spinner=False)
def export_server() -> bool:
    """kaleido's export server, started once for the whole server process."""
    images.start_server()
    return True


def content_key(spec: ChartSpec, fmt: str) -> str:
    """A key that changes when anything drawn in the exported image does."""
    layout = images.slide_figure(spec).to_json()
    return hashlib.sha256(f"{fmt}\n{layout}".encode()).hexdigest()


@st.cache_data(show_spinner=False, max_entries=256)
def _image(key: str, fmt: str, _spec: ChartSpec) -> bytes:
    # `key` is the chart's content: the same chart is rendered once per format.
    return images.figure_bytes(_spec, fmt)


def image_bytes(spec: ChartSpec, fmt: str) -> bytes:
    """The chart as a slide-ready image, from the cache when drawn before."""
    export_server()
    return _image(content_key(spec, fmt), fmt, spec)


def chart_downloads(spec: ChartSpec, lang: str) -> None:
    """A download menu under a chart: PNG, SVG, PDF, Excel and CSV."""
    stem = datapack.file_stem(spec.chart_id)
    with st.popover(t("export.download", lang), icon=":material/download:", key=f"dl_menu_{spec.chart_id}"):
        st.caption(t("export.download_images", lang))
        unavailable = images_unavailable_note(lang)
        no_pdf = not unavailable and pdf_unavailable_note(lang)
        columns = st.columns(3)
        for column, fmt in zip(columns, images.FORMATS, strict=True):
            off = unavailable or (no_pdf and fmt == "pdf")
            column.download_button(
                fmt.upper(), data=b"" if off else (lambda fmt=fmt: image_bytes(spec, fmt)),
                file_name=f"{stem}.{fmt}", mime=MIME[fmt], on_click="ignore", key=f"dl_{fmt}_{spec.chart_id}",
                width="stretch", disabled=off,
            )
        st.caption(t("export.download_data", lang))
        columns = st.columns(2)
        for column, fmt, label in zip(columns, ("xlsx", "csv"), ("Excel", "CSV"), strict=True):
            column.download_button(
                label, data=lambda fmt=fmt: datapack.chart_data_bytes(spec, fmt), file_name=f"{stem}.{fmt}",
                mime=MIME[fmt], on_click="ignore", key=f"dl_{fmt}_{spec.chart_id}",
                width="stretch",
            )
