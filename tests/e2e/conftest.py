"""Browser tests: Playwright's sync API drives Debian's Chromium against the live server.

- Chromium is ``/usr/bin/chromium`` (or ``FLEDGE_CHROMIUM``). When it is missing the
  tests skip with the reason; with ``FLEDGE_REQUIRE_BROWSER=1`` (CI) they fail
  instead, so a run cannot pass by skipping them.
- Playwright's browsers are never downloaded: the machine runs offline, and the flags
  below keep Chromium from waiting on network services it cannot reach.
- Every test here is marked ``e2e`` (``pytest -m "not e2e"`` leaves them out).
- A failing test leaves a screenshot and the HTML of each open page in
  ``test-artifacts/``.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Longest wait for one action or assertion (click, fill, expect), in milliseconds.
ACTION_TIMEOUT_MS = 15_000
#: Longest wait for a page load; the first admin page compiles templates, so allow more.
NAVIGATION_TIMEOUT_MS = 30_000
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
E2E_DIR = Path(__file__).resolve().parent

_reports = pytest.StashKey[dict]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # Keep each phase's report on the item so fixtures can tell whether the test failed.
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


def _browser_unavailable(reason: str) -> None:
    if os.environ.get("FLEDGE_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (FLEDGE_REQUIRE_BROWSER=1: browser tests may not skip)", False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The Chromium binary to drive; skips (or fails, in CI) when it is missing."""
    path = os.environ.get("FLEDGE_CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        _browser_unavailable(
            f"Chromium not found at {path}; install Debian's chromium (apt-get install chromium)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _browser_unavailable("Playwright is not installed; run `make install-dev`")
    return path


@pytest.fixture
def browser(
    chromium_executable: str, live_server, transactional_db, django_db_serialized_rollback
) -> Iterator:
    """A headless Chromium, for one test.

    The live server reads what the test writes, so the database is transactional;
    serialized rollback puts the migrated data (site tree, groups, workflow) back
    before the test, as another transactional test may have flushed it.

    Playwright's sync API runs an asyncio event loop in this thread, and while it runs
    Django hands this thread *other* database connections (they are local to the
    loop's context) and refuses ORM calls unless told it is safe. So the browser starts
    after the database is set up and stops before it is flushed: the test database
    machinery must see its own connection, which carries the serialized data.
    """
    from django.db import connections

    from playwright.sync_api import expect, sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        expect.set_options(timeout=ACTION_TIMEOUT_MS)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
                # The connections the test opened under the loop: left open, they
                # would keep PostgreSQL from dropping the test database.
                connections.close_all()


@pytest.fixture
def new_page(browser, live_server, request) -> Iterator[Callable]:
    """Open a page in a fresh browser context (its own cookies: one per person).

    Relative URLs (``page.goto("/admin/")``) go to the live server. Any host reaches
    the site: the migrated Wagtail Site is the default site.
    """
    contexts = []

    def open_page():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page

    reports = request.node.stash.get(_reports, {})
    if any(report.failed for report in reports.values()):
        _save_artifacts(request.node, [page for context in contexts for page in context.pages])
    for context in contexts:
        context.close()


def _save_artifacts(node: pytest.Item, pages: list) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", node.nodeid)
    for number, page in enumerate(pages, start=1):
        base = ARTIFACTS_DIR / f"{stem}-{number}"
        try:
            page.screenshot(path=f"{base}.png", full_page=True)
            Path(f"{base}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # a dead page must not hide the test failure
            print(f"Could not save {base}: {error}")
        else:
            print(f"Saved {base}.png and .html ({page.url})")
