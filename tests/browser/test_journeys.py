"""What a manager and a director see in a real browser, against a live server with the demo data."""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import SCREENSHOTS, log_in

pytestmark = pytest.mark.browser

OSLO = ZoneInfo("Europe/Oslo")
INGRID = "ingrid.berg@nordlys.example"
PER = "per.aasen@nordlys.example"
LISE = "lise.moe@nordlys.example"
HILDE = "hilde.strand@nordlys.example"
ADMIN = "admin@nordlys.example"
SEGMENT_LABELS = {
    "top": "De beste",
    "new": "Nye selgere",
    "core": "Stabile",
    "under": "Leverer ikke",
}
STATUS_LABELS = {
    "below": "under målet",
    "within": "innenfor",
    "above": "over målet",
    "empty": "ingen selgere",
}
NBSP = "\u00a0"
# The JSON report carries 4 decimals; a value that close to a rounding boundary may show either way.
JSON_PRECISION = Decimal("0.00005")


def _half_up(value: Decimal, step: str) -> Decimal:
    return value.quantize(Decimal(step), rounding=ROUND_HALF_UP)


def _nb_number(value: Decimal) -> str:
    return str(value).replace(".", ",")


def nb_hours(hours: Decimal) -> str:
    """Hours as the Norwegian page writes them: 1.5 → «1,5 t»."""
    return f"{_nb_number(hours)}{NBSP}t"


def shown_as(value: float, render, step: str) -> set[str]:
    """How the page may show a 4-decimal JSON value: one text, two only at a rounding boundary."""
    exact = Decimal(str(value))
    return {render(_half_up(exact + d, step)) for d in (-JSON_PRECISION, 0, JSON_PRECISION)}


def nb_percent(share: Decimal) -> str:
    """A share as the Norwegian page writes it: 0.17 → «17 %»."""
    return f"{_half_up(share * 100, '1')}{NBSP}%"


def parse_nb_hours(text: str) -> Decimal:
    match = re.fullmatch(rf"(\d+),(\d){NBSP}t", text.strip())
    assert match, text
    return Decimal(f"{match[1]}.{match[2]}")


def this_iso_week() -> tuple[int, int]:
    year, week, _ = datetime.now(OSLO).isocalendar()
    return year, week


def week_card(page):
    return page.locator("section[aria-labelledby='week-h']")


def planned_hours(page) -> Decimal:
    """«Planlagt resten av uken: 4,0 t, …» on the overview's week card; 0 when nothing is planned."""
    found = re.search(rf"Planlagt resten av uken: (\d+,\d{NBSP}t)", week_card(page).inner_text())
    return parse_nb_hours(found[1]) if found else Decimal(0)


def week_hours(page) -> str:
    """The hours in the heading of «Denne uken»: «uke 48 · 9,1 t» → «9,1 t»."""
    return week_card(page).locator("h2 .muted").inner_text().split(" · ")[-1]


def segment_rows(card) -> dict[str, dict[str, str]]:
    rows = {}
    for item in card.locator("li.segment").all():
        label = item.locator(".badge").inner_text()
        rows[label] = {
            "share": item.locator(".share").inner_text(),
            "status": item.locator(".status").inner_text(),
            "text": re.sub(r"[ \t\n]+", " ", item.locator(".segment-text").inner_text()).strip(),
        }
    return rows


def test_a_manager_logs_in_with_the_demo_password_and_lands_on_the_dashboard(page):
    log_in(page, INGRID)
    assert page.url.endswith("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hvor tiden din går"
    assert page.locator("header .me").inner_text() == "Ingrid Berg"
    assert page.locator("nav a[aria-current='page']").inner_text() == "Oversikt"


def test_a_wrong_password_keeps_the_manager_on_the_login_page(page):
    log_in(page, INGRID, password="not-the-password-2026")
    assert page.url.endswith("/login/")
    assert page.get_by_role("alert").inner_text() == (
        "Vennligst oppgi korrekt e-post og passord. Merk at det kan være forskjell på små og store bokstaver."
    )


def test_the_dashboard_shows_this_weeks_split_exactly_as_the_report_computes_it(page, live_krutt):
    year, week = this_iso_week()
    report = json.loads(
        live_krutt.cli("report", "--manager", INGRID, "--json", "--week", f"{year}-W{week:02d}")
    )
    log_in(page, INGRID)

    heading = week_card(page).locator("h2").inner_text()
    # The running week says what part of it has happened: «Denne uken så langt (man.–ons.)».
    assert heading.startswith("Denne uken så langt (")
    assert week_hours(page) in shown_as(report["seller_hours"], nb_hours, "0.1")
    rows = segment_rows(week_card(page))
    assert list(rows) == list(SEGMENT_LABELS.values())
    for key, label in SEGMENT_LABELS.items():
        expected = report["segments"][key]
        row = rows[label]
        band = (
            f"bånd ≥ {nb_percent(Decimal(str(expected['min'])))}"
            if expected["max"] is None
            else f"bånd {nb_percent(Decimal(str(expected['min'])))}–"
            f"{nb_percent(Decimal(str(expected['max'])))}"
        )
        sellers = f"{expected['sellers']} selger" + ("" if expected["sellers"] == 1 else "e")
        hours, share_text = row["text"].split(" · ")[0], row["share"]
        assert hours in shown_as(expected["hours"], nb_hours, "0.1"), label
        assert share_text in shown_as(expected["share"], nb_percent, "0.01"), label
        assert row["status"] == STATUS_LABELS[expected["status"]], label
        assert row["text"].split(" · ")[1:] == [band, sellers], label


def test_logging_time_with_the_quick_form_adds_exactly_that_to_this_week(page):
    log_in(page, PER)
    before_total = parse_nb_hours(week_hours(page))
    before_planned = planned_hours(page)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Selgere").click()
    seller_row = page.locator("table.sellers tbody tr").first
    seller = seller_row.locator("th a").inner_text()
    segment = seller_row.locator(".badge").inner_text()
    page.goto("/")
    before_segment = parse_nb_hours(segment_rows(week_card(page))[segment]["text"].split(" · ")[0])

    page.get_by_role("link", name="Tid", exact=True).click()
    form = page.locator("section[aria-labelledby='quick-h']")
    form.get_by_role("checkbox", name=seller).check()
    form.get_by_label("Aktivitet").select_option(label="1:1-oppfølging")
    form.get_by_role("button", name="90", exact=True).click()
    assert form.get_by_label("Minutter").input_value() == "90"
    form.get_by_role("button", name="Registrer", exact=True).click()
    assert page.get_by_role("status").inner_text() == f"Registrerte 90 minutter med {seller}."

    # The 90 minutes start now: planned until they have happened, shown apart, not yet counted.
    page.get_by_role("link", name="Oversikt").click()
    assert parse_nb_hours(week_hours(page)) == before_total
    after_segment = segment_rows(week_card(page))[segment]["text"].split(" · ")[0]
    assert parse_nb_hours(after_segment) == before_segment
    assert planned_hours(page) == before_planned + Decimal("1.5")


def test_overriding_a_segment_needs_a_reason_and_then_shows_the_badge_and_the_reason(page):
    log_in(page, LISE)
    page.goto("/sellers/")
    row = page.locator("table.sellers tbody tr").filter(has=page.locator(".badge.seg-top")).first
    seller = row.locator("th a").inner_text()
    row.locator("th a").click()
    assert page.get_by_role("heading", level=1).inner_text() == seller
    assert page.locator(".current .badge").inner_text() == "De beste"

    page.get_by_text("Overstyr segmentet").click()
    page.get_by_label("Segment:").select_option(label="Leverer ikke")
    page.get_by_role("button", name="Lagre overstyringen").click()
    reason = page.get_by_label("Begrunnelse")
    assert reason.evaluate("field => field.validity.valueMissing") is True
    assert page.locator(".current .badge").inner_text() == "De beste"

    reason.fill("Mistet sin største kunde i november")
    page.get_by_role("button", name="Lagre overstyringen").click()
    assert page.get_by_role("status").inner_text() == (
        "Segmentet er overstyrt. Begrunnelsen lagres sammen med det."
    )
    assert page.locator(".current .badge").inner_text() == "Leverer ikke"
    assert page.locator(".current .reason").inner_text() == (
        "Satt av salgssjefen: Mistet sin største kunde i november"
    )
    today = datetime.now(OSLO).date().strftime("%d.%m.%Y")
    assert page.locator(".override-note").inner_text() == f"Overstyrt av Lise Moe siden {today}."

    page.goto("/sellers/?segment=under")
    names = page.locator("table.sellers tbody th a").all_inner_texts()
    assert seller in names


def test_switching_to_english_shows_english_labels_and_is_kept_on_the_next_page(page):
    log_in(page, ADMIN)
    assert page.get_by_role("heading", level=1).inner_text() == "Innstillinger"
    page.get_by_role("button", name="English", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Settings"
    assert page.locator("html").get_attribute("lang") == "en"
    assert (
        page.get_by_role("button", name="English", exact=True).get_attribute("aria-pressed")
        == "true"
    )

    page.get_by_role("link", name="Admin").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Account"
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.get_by_role("link", name="Skip to content").count() == 1

    page.locator("header").get_by_role("button", name="Norsk bokmål", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Konto"


def test_a_director_sees_the_three_teams_on_the_org_page(page):
    log_in(page, HILDE)
    assert page.url.endswith("/org/")
    assert page.get_by_role("heading", level=1).inner_text() == "Teamene målt mot policyen"
    teams = page.locator(".grid-cards h2 a").all_inner_texts()
    assert teams == ["Key Accounts", "Salg Vest", "Salg Øst"]
    managers = [m.split(" · ")[0] for m in page.locator(".grid-cards h2 .muted").all_inner_texts()]
    assert managers == ["Lise Moe", "Per Aasen", "Ingrid Berg"]
    assert page.locator(".grid-cards li.segment").count() == 12


def test_the_skip_link_is_the_first_tab_stop_and_leads_to_the_main_content(page):
    log_in(page, INGRID)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.textContent]"
    )
    assert focused == ["skip", "Hopp til innholdet"]
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_the_console_watch_catches_a_csp_violation(page, problems):
    log_in(page, INGRID)
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in m for m in problems.messages), problems.messages
    problems.messages.clear()


MANAGER_PAGES = ["/", "/sellers/", "seller", "/time/", "/settings/", "/account/"]


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_renders_without_console_errors_or_sideways_scrolling(new_page, problems, width):
    """Full-page screenshots of each page a manager uses and the director's /org/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    overflowing = {}

    def shoot(page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        extra = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if extra > 0:
            overflowing[name] = extra

    page = new_page(width=width)
    page.goto("/login/")
    shoot(page, "login")
    log_in(page, INGRID)
    for path in MANAGER_PAGES:
        if path == "seller":
            page.goto("/sellers/")
            page.locator("table.sellers tbody th a").first.click()
            name = "seller"
        else:
            page.goto(path)
            name = path.strip("/") or "dashboard"
        assert page.locator("main h1").count() == 1, path
        shoot(page, name)

    director = new_page(width=width)
    log_in(director, HILDE)
    assert director.url.endswith("/org/")
    shoot(director, "org")

    assert overflowing == {}
    assert problems.messages == []
