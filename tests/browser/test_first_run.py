"""A new organisation set up in the browser only: from an empty database to a team with
sellers, targets, time, a second manager's login and a first overview (issue 12)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from krutt.domain.months import Month
from tests.browser.conftest import (
    KRUTT,
    LiveKrutt,
    _free_port,
    _server_env,
    _wait_until_it_answers,
)

pytestmark = pytest.mark.browser

PASSWORD = "et-langt-passord-for-siri-2026"


@pytest.fixture(scope="module")
def empty_krutt(chromium: Path) -> Iterator[LiveKrutt]:
    """`krutt init` and `krutt serve` on an empty database: nobody to log in yet."""
    folder = Path(tempfile.mkdtemp(prefix="krutt-first-run-"))
    env = _server_env(folder)
    done = subprocess.run(
        [str(KRUTT), "init"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(KRUTT), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_it_answers(url, server, log)
        yield LiveKrutt(url=url, env=env)
    finally:
        server.terminate()
        server.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def fresh(browser, empty_krutt, problems):
    context = browser.new_context(
        base_url=empty_krutt.url,
        locale="nb-NO",
        timezone_id="Europe/Oslo",
        viewport={"width": 1366, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            problems.messages.append(f"console {m.type}: {m.text}")
            if m.type in {"error", "warning"}
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.messages.append(f"page error: {e}"))
    yield page
    context.close()


def test_a_new_organisation_is_set_up_in_the_browser_only(fresh, empty_krutt, tmp_path):
    page = fresh
    # 1. The first page of an empty installation creates the company and its manager.
    page.goto("/")
    assert page.url.endswith("/start/")
    page.get_by_label("Firma").fill("Nordlys AS")
    page.get_by_label("Navnet på teamet ditt").fill("Salg Øst")
    page.get_by_label("Navnet ditt").fill("Siri Sjef")
    page.get_by_label("E-postadressen din").fill("siri@nordlys.example")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Opprett og fortsett").click()
    page.wait_for_url("**/setup/")
    assert "Neste: last opp selgerlisten" in page.inner_text("main")

    # 2. The roster, through the Imports preview and its all-or-nothing commit.
    roster = tmp_path / "selgere.csv"
    roster.write_text(
        "name,email,start_date,team,manager_email\n"
        "Kari Nordmann,kari@nordlys.example,2020-02-03,Salg Øst,siri@nordlys.example\n"
        "Ola Hansen,ola@nordlys.example,2019-05-06,Salg Øst,siri@nordlys.example\n",
        encoding="utf-8",
    )
    page.get_by_role("link", name="Last opp selgerlisten").click()
    page.set_input_files("#id_file", str(roster))
    page.get_by_role("button", name="Les filen").click()
    page.wait_for_url("**/imports/preview/**")
    assert "2 selgere lest: 2 nye, 0 endret, 0 uendret." in page.inner_text("main")
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url("**/setup/")
    assert "Ferdig: 2 selgere på teamet ditt." in page.inner_text("main")

    # 3. Targets and results typed into the grid.
    page.get_by_role("link", name="Skriv dem inn i tabellen").click()
    month = Month.of(date.today()).plus(-1)
    for name in ("Kari Nordmann", "Ola Hansen"):
        page.get_by_label(f"{name}, {month}, mål").fill("100 000")
        page.get_by_label(f"{name}, {month}, resultat").fill("120 000")
    page.get_by_role("button", name="Lagre tallene").click()
    assert "Lagret: 2 nye måneder, 0 endret." in page.inner_text("main")

    # 4. An hour with a seller, logged by hand.
    page.goto("/time/")
    page.locator("form.quick label.chip", has_text="Kari Nordmann").locator("input").check()
    page.locator("#id_minutes").fill("60")
    yesterday = date.today() - timedelta(days=1)
    page.locator("#id_when").fill(f"{yesterday.isoformat()}T10:00")
    page.locator("form.quick button[type=submit]").click()
    page.wait_for_load_state()

    # 5. A second manager invited: a one-time link sets their password.
    page.goto("/setup/")
    page.locator("#invite #id_email").fill("per@nordlys.example")
    page.get_by_role("button", name="Lag en engangslenke").click()
    message = page.locator(".message.success").inner_text()
    link = re.search(r"https?://\S+/invite/\S+/", message)
    assert link is not None, message

    # 6. The overview has left the setup path and says its main thing first.
    page.goto("/")
    assert page.locator("#setup-h").count() == 0
    headline = page.locator("p.headline").inner_text()
    assert "selgertiden din" in headline.lower()

    page.get_by_role("button", name="Logg ut").click()
    page.goto(link.group(0))
    page.locator("input[name=new_password1]").fill(PASSWORD + "-per")
    page.locator("input[name=new_password2]").fill(PASSWORD + "-per")
    page.get_by_role("button", name="Lagre passordet").click()
    page.wait_for_url("**/login/")
    page.get_by_label("E-post").fill("per@nordlys.example")
    page.get_by_label("Passord").fill(PASSWORD + "-per")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()
    assert page.locator("header .me").inner_text() == "per@nordlys.example"
