"""The border-plan page in a real headless Chromium at a phone's and a
laptop's width, for the year before the 2025 reorganisation and the year of
it (issue 14): the page does not scroll sideways, and it shows the bodies of
the chosen year: the 19 agencies of the plan for 2024 with Sở Kế hoạch và Đầu
tư compiling, the 15 bodies in force for 2025 with Sở Tài chính compiling and
"Tiếp nhận nhiệm vụ của …" naming whom a body took over from."""

from __future__ import annotations

import pytest

from tests.serving import CHROMIUM, LOAD_TIMEOUT_MS, OVERFLOW_JS, wait_until_idle

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium (the README's test command installs it)",
)


@pytest.mark.parametrize("width", [390, 1440])
def test_the_border_page_shows_the_bodies_of_each_year_at_every_width(app_server, browser_page, tmp_path, width):
    page = browser_page("vi-VN", width, 2400)
    seen = {}
    try:
        for year in (2024, 2025):
            page.goto(f"{app_server}/border_plan?year={year}", wait_until="domcontentloaded", timeout=LOAD_TIMEOUT_MS)
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=LOAD_TIMEOUT_MS)
            wait_until_idle(page)
            page.locator('[data-testid="stCaptionContainer"]').first.wait_for(timeout=LOAD_TIMEOUT_MS)
            page.screenshot(path=str(tmp_path / f"border_{year}_{width}.png"))
            sizes = page.evaluate(OVERFLOW_JS)
            main = page.locator('[data-testid="stMain"]')
            seen[year] = {
                "wide": sizes["page"][0] > sizes["page"][1] or sizes["main"][0] > sizes["main"][1],
                "metrics": page.locator('[data-testid="stMetricValue"]').all_inner_texts(),
                "info": " ".join(page.locator('[data-testid="stAlertContentInfo"]').all_inner_texts()),
                "captions": page.locator('[data-testid="stCaptionContainer"]').all_inner_texts(),
                "agency": main.get_by_role("combobox", name="Cơ quan, đơn vị").input_value(),
            }
    finally:
        page.close()
    assert [year for year, s in seen.items() if s["wide"]] == []
    before, after = seen[2024], seen[2025]
    assert before["metrics"] and all(m.endswith("/19") for m in before["metrics"])  # the plan's 19 agencies
    assert "Hạn báo cáo năm 2024" in before["info"] and "gửi báo cáo về Sở Kế hoạch và Đầu tư" in before["info"]
    assert "Sở Kế hoạch và Đầu tư" in before["agency"]
    assert not any(c.startswith("Tiếp nhận nhiệm vụ của") for c in before["captions"])
    assert after["metrics"] and all(m.endswith("/15") for m in after["metrics"])  # the bodies in force
    assert "Hạn báo cáo năm 2025" in after["info"] and "gửi báo cáo về Sở Tài chính" in after["info"]
    assert "Sở Tài chính" in after["agency"]
    assert "Tiếp nhận nhiệm vụ của Sở Kế hoạch và Đầu tư, Sở Tài chính (cũ)" in after["captions"]
