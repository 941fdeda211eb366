"""The Results page in a real browser, at phone and laptop width: charts, tables, no sideways scroll."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS, log_in

pytestmark = pytest.mark.browser

INGRID = "ingrid.berg@nordlys.example"
HILDE = "hilde.strand@nordlys.example"


def _overflow(page) -> int:
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


@pytest.mark.parametrize("width", [1366, 375])
def test_the_results_page_shows_five_charts_with_tables_and_fits_the_screen(new_page, width):
    SCREENSHOTS.mkdir(exist_ok=True)
    page = new_page(width=width)
    log_in(page, INGRID)
    page.get_by_role("link", name="Resultater").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "Lønner prioriteringen seg?"
    for chart in ("outcome-chart", "coaching-chart", "ramp-chart", "wear-chart"):
        assert page.locator(f"svg.{chart}").count() >= 1, chart
    # A chart's table opens on a click
    summary = page.locator("summary", has_text="Vis som tabell").first
    summary.click()
    assert page.locator("details[open] table").first.is_visible()
    page.screenshot(path=SCREENSHOTS / f"results-{width}.png", full_page=True)
    assert _overflow(page) == 0

    director = new_page(width=width)
    log_in(director, HILDE)
    director.goto("/results/")
    assert director.locator(".results-column").count() == 3
    director.screenshot(path=SCREENSHOTS / f"results-director-{width}.png", full_page=True)
    assert _overflow(director) == 0
