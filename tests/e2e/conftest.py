"""Browser fixtures: Debian's Chromium, driven by Playwright, on the pages the stack serves."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from demarches import bootstrap
from demarches.clock import FixedClock, SystemClock
from tests.conftest import ApiClient

CHROMIUM = Path("/usr/lib/chromium/chromium")
# Every host name but 127.0.0.1 fails to resolve, so a page can reach nothing but the stack.
LAUNCH_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
BLOCKING_IMPACTS = {"serious", "critical"}
# The session entry of web/js/auth.js: the ID token under "demarches.session".
STORE_SESSION_SCRIPT = (
    "token => sessionStorage.setItem('demarches.session', JSON.stringify({idToken: token}))"
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium shared by the browser tests of this process."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}; install it with: make browser")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser, api: str) -> Iterator[Callable[[], Page]]:
    """Open pages in fresh contexts (own sessionStorage), failing the test on a script error."""
    contexts = []
    script_errors: list[str] = []

    def open_page() -> Page:
        context = browser.new_context(
            base_url=api,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert script_errors == [], f"script errors in the pages: {script_errors}"


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


@pytest.fixture
def sign_in() -> Callable[[Page, str], None]:
    """Sign a page in through the sign-in page, as the demo identity ``identity_id``."""

    def sign_in_as(page: Page, identity_id: str) -> None:
        if "connexion.html" not in page.url:
            page.goto("/connexion.html")
        page.locator(f'button[data-identite="{identity_id}"]').click()
        page.wait_for_url(lambda url: "connexion.html" not in url)

    return sign_in_as


def _store_token(page: Page, token: str) -> None:
    page.goto("/config.js")
    page.evaluate(STORE_SESSION_SCRIPT, token)


@pytest.fixture
def store_token() -> Callable[[Page, str], None]:
    """Store an ID token in a page's tab as the session, the way the sign-in page does."""
    return _store_token


@pytest.fixture
def signed_in(stack: Any) -> Callable[[Page, str], None]:
    """Sign a page in as a demo identity without the sign-in page, which is faster."""
    return lambda page, identity_id: _store_token(page, stack.token(identity_id))


@pytest.fixture
def api_as(stack: Any, api: str) -> Callable[[str], ApiClient]:
    """API client with the token of a demo identity, to prepare or check what a page did."""
    return lambda identity_id: ApiClient(api, stack.token(identity_id))


@pytest.fixture
def clock_at() -> Iterator[Callable[[datetime], None]]:
    """Move the stack's clock to a given instant for one test. The browser's clock does not move."""

    def move(instant: datetime) -> None:
        bootstrap.use_clock(FixedClock(instant))

    yield move
    bootstrap.use_clock(SystemClock())


def _blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.fixture
def axe_violations() -> Callable[[Page], list[str]]:
    """Run axe-core on a page and return its serious and critical violations, one per line."""
    return _blocking_violations


@dataclass(frozen=True)
class Family:
    """A household created for one test: its token, an API client and its members' ids."""

    household_id: str
    token: str
    client: ApiClient
    adult_id: str
    child_ids: dict[str, str]
    """Person id of each child, by first name."""


@pytest.fixture(scope="session")
def new_family(stack: Any, api: str) -> Callable[..., Family]:
    """Create a household of one adult and the given children ``(first name, birth date)``.

    The children go to the école Jacques Prévert, in CE2, so that the periscolaire
    registration finds their school and class in the profile.
    """
    from demarches.households.domain import Household, Person

    def create(*children: tuple[str, date]) -> Family:
        household_id = f"foyer-e2e-{uuid.uuid4().hex[:10]}"
        adult = Person(
            person_id=f"{household_id}-adulte",
            first_name="Alex",
            last_name="Test",
            birth_date=date(1985, 3, 1),
            role="adult",
        )
        kids = [
            Person(
                person_id=f"{household_id}-{first_name.lower()}",
                first_name=first_name,
                last_name="Test",
                birth_date=birth_date,
                role="child",
                school="ecole-jacques-prevert",
                school_class="CE2",
            )
            for first_name, birth_date in children
        ]
        email = f"{household_id}@example.fr"
        bootstrap.household_directory().save(
            Household(
                household_id=household_id,
                name="Foyer Test",
                address="3 rue de test",
                postcode="55100",
                commune_insee="55545",
                email=email,
                persons=(adult, *kids),
            )
        )
        token = stack.issuer.issue(
            f"user-{household_id}", name="Alex Test", email=email, household_id=household_id
        )
        return Family(
            household_id=household_id,
            token=token,
            client=ApiClient(api, token),
            adult_id=adult.person_id,
            child_ids={kid.first_name: kid.person_id for kid in kids},
        )

    return create
