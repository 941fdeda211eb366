"""A live krutt with the demo organisation, and Debian's Chromium driven by Playwright.

The server always runs on its own SQLite file in a temporary folder, whatever
KRUTT_DATABASE_URL the suite itself uses (CI also runs the suite against PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KRUTT = Path(sys.executable).with_name("krutt")
DEMO_PASSWORD = "krutt-demo-2026"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class LiveKrutt:
    url: str
    env: dict[str, str]

    def cli(self, *args: str) -> str:
        """Run `krutt …` against the live server's database; return its standard output."""
        done = subprocess.run(
            [str(KRUTT), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


@dataclass
class BrowserProblems:
    """Console errors, uncaught exceptions and CSP violations seen by one page."""

    messages: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KRUTT_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "KRUTT_ENV": "development",
            "KRUTT_DATA_DIR": str(folder),
            "KRUTT_DATABASE_URL": f"sqlite:///{folder}/krutt.sqlite3",
            "KRUTT_STATIC_ROOT": str(folder / "static"),
            "KRUTT_ALLOWED_HOSTS": "127.0.0.1",
            # The journeys sign in as the demo's director and admin; the second factor they
            # would have to set up first is tested in tests/web/test_two_factor.py.
            "KRUTT_TWO_FACTOR_REQUIRED": "0",
        }
    )
    return env


def _wait_until_it_answers(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"krutt serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/login/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"krutt serve did not answer within {START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's browser; its absence skips the browser tests, or fails them where CI requires them."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("KRUTT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KRUTT_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def live_krutt(chromium: Path) -> Iterator[LiveKrutt]:
    """`krutt init`, `krutt demo`, then `krutt serve` (gunicorn, 2 workers) on a free port."""
    folder = Path(tempfile.mkdtemp(prefix="krutt-browser-"))
    env = _server_env(folder)
    for command in (["init"], ["demo"]):
        done = subprocess.run(
            [str(KRUTT), *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"krutt {command[0]}: {done.stderr}"
    assert f"password {DEMO_PASSWORD}" in done.stdout
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(KRUTT), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_it_answers(url, server, log)
        yield LiveKrutt(url=url, env=env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[object]:
    """One headless Chromium for a module; stopped with it, so no event loop outlives the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def new_page(browser, live_krutt, problems):
    """Pages in fresh contexts (Norwegian browser, 1280 px); each is watched for console problems.

    A page that logs a console error, throws, or breaks the CSP fails the test at teardown.
    """
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(
            base_url=live_krutt.url,
            locale="nb-NO",
            timezone_id="Europe/Oslo",
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                problems.messages.append(f"console {m.type}: {m.text} ({page.url})")
                if m.type in {"error", "warning"}
                else None
            ),
        )
        page.on("pageerror", lambda e: problems.messages.append(f"page error: {e} ({page.url})"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


@pytest.fixture(autouse=True)
def _no_browser_problems(problems) -> Iterator[None]:
    yield
    assert problems.messages == []
