"""At 375 px (a small phone) no page is cut: whatever is wider than the screen sits in a box
that scrolls, and the overview and the sellers list do not scroll sideways at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

INGRID = "ingrid.berg@nordlys.example"
PHONE = 375
# Every page a manager opens from the menu and the setup path, with one seller's page.
PAGES = [
    "/",
    "/sellers/",
    "SELLER",
    "/time/",
    "/plan/",
    "/imports/",
    "/imports/history/",
    "/results/",
    "/settings/",
    "/settings/calendar/",
    "/setup/",
    "/setup/numbers/",
    "/setup/sellers/new/",
    "/perceived/",
    "/account/",
]
NO_SIDEWAYS = {"/", "/sellers/"}
SHOTS = os.environ.get("KRUTT_SCREENSHOTS")

# Elements reaching outside the viewport that are not inside a box that scrolls sideways
# (hidden things, and the off-screen skip link and screen-reader texts, do not count).
OUTSIDE = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right <= width + 0.5 && box.left >= -0.5) continue;
    let node = el, contained = false;
    while (node && node !== document.body) {
      const style = getComputedStyle(node);
      if (style.position === 'absolute' || style.position === 'fixed') { contained = true; break; }
      if (node !== el && (style.overflowX === 'auto' || style.overflowX === 'scroll')) {
        const outer = node.getBoundingClientRect();
        contained = outer.right <= width + 0.5 && outer.left >= -0.5;
        break;
      }
      node = node.parentElement;
    }
    if (!contained) out.push(`${el.tagName.toLowerCase()}.${el.className} → ${Math.round(box.right)} px`);
  }
  return {out: out.slice(0, 8), scroll: document.documentElement.scrollWidth, width};
}
"""


def _seller_page(page) -> str:
    page.goto("/sellers/")
    return page.locator("table.sellers tbody a").first.get_attribute("href")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_no_page_is_cut_on_a_375_px_phone(new_page, language):
    page = new_page(width=PHONE, height=800)
    log_in(page, INGRID)
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    seller = _seller_page(page)
    for path in PAGES:
        url = seller if path == "SELLER" else path
        page.goto(url)
        page.wait_for_load_state()
        found = page.evaluate(OUTSIDE)
        assert found["out"] == [], (url, found)
        if path in NO_SIDEWAYS:
            assert found["scroll"] <= PHONE, (url, found)
        if SHOTS:
            name = path.strip("/").replace("/", "-") or "overview"
            page.screenshot(
                path=str(Path(SHOTS) / f"i12-375-{language}-{name.lower()}.png"), full_page=True
            )


def test_the_sellers_list_shows_a_card_per_seller_with_what_a_manager_needs(new_page):
    page = new_page(width=PHONE, height=800)
    log_in(page, INGRID)
    page.get_by_role("button", name="Norsk bokmål").click()
    page.goto("/sellers/")
    first = page.locator("table.sellers tbody tr").first
    text = first.inner_text()
    for label in ("Måloppnåelse", "Timer", "Andel", "Dager siden 1:1"):
        assert label in text
    box = first.bounding_box()
    assert box is not None and box["width"] <= PHONE


DIRECTOR_PAGES = ["/org/", "/sellers/", "/results/", "/settings/", "/account/"]


def test_no_director_page_is_cut_on_a_375_px_phone(new_page):
    page = new_page(width=PHONE, height=800)
    log_in(page, "hilde.strand@nordlys.example")
    for path in DIRECTOR_PAGES:
        page.goto(path)
        page.wait_for_load_state()
        found = page.evaluate(OUTSIDE)
        assert found["out"] == [], (path, found)
        if path == "/sellers/":
            assert found["scroll"] <= PHONE, (path, found)
