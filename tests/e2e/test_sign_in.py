"""Sign-in, sign-out and the return to sign-in when the API rejects the token."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Route, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_rejected_token_returns_to_sign_in(page, sign_in, store_token, stack):
    genuine = stack.token("camille.martin")
    header, claims, signature = genuine.split(".")
    forged = ".".join([header, claims, signature[::-1]])
    store_token(page, forged)

    page.goto("/profil.html")

    expect(page).to_have_url(re.compile(r"/connexion\.html\?retour=%2Fprofil\.html"))
    expect(page.get_by_role("status")).to_contain_text("Votre session a expiré")
    assert page.evaluate("sessionStorage.getItem('demarches.session')") is None
    sign_in(page, "camille.martin")
    expect(page).to_have_url(re.compile(r"/profil\.html$"))
    expect(page.get_by_role("heading", name="Foyer Martin")).to_be_visible()


def test_profile_lists_household_members(page, signed_in):
    signed_in(page, "camille.martin")
    page.goto("/index.html")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon profil"
    ).click()

    members = page.get_by_role("table", name="Membres du foyer (4)")
    expect(members.get_by_role("rowheader")).to_have_text(
        ["Julien Martin", "Camille Martin", "Léa Martin", "Hugo Martin"]
    )
    expect(members.get_by_role("row", name=re.compile("^Léa Martin"))).to_contain_text(
        "2 juin 2017"
    )
    expect(page.get_by_text(re.compile(r"55100 Verdun$"))).to_be_visible()


def test_sign_out_ends_session(page, sign_in):
    sign_in(page, "sophie.nguyen")
    expect(page.get_by_text("Sophie Nguyen", exact=True)).to_be_visible()

    page.get_by_role("button", name="Se déconnecter").click()

    expect(page).to_have_url(re.compile(r"/connexion\.html\?raison=deconnexion$"))
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté")
    assert page.evaluate("sessionStorage.getItem('demarches.session')") is None
    page.goto("/aquadrome/reservations.html")
    expect(page).to_have_url(re.compile(r"/connexion\.html\?retour="))


def test_sign_in_ignores_foreign_return_address(page, sign_in):
    page.goto("/connexion.html?retour=https%3A%2F%2Fexample.org%2F")

    sign_in(page, "camille.martin")

    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/index\.html$"))


def test_skip_link_moves_focus_to_content(page):
    page.goto("/index.html")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")

    expect(page.locator("main#contenu")).to_be_focused()


FAKE_PROVIDER = "https://auth.demarches.test"
COGNITO_CONFIG = f"""export default {{
  apiBaseUrl: "",
  identityProvider: "cognito",
  cognito: {{ domain: "{FAKE_PROVIDER}", clientId: "client-e2e" }},
}};
"""


def test_cognito_code_flow_with_pkce(page, stack):
    """The hosted UI flow against a stand-in provider: authorize, code, token, sign-out."""
    sent: dict[str, Any] = {}

    def authorize(route: Route) -> None:
        sent["authorize"] = parse_qs(urlsplit(route.request.url).query)
        callback = sent["authorize"]["redirect_uri"][0]
        state = sent["authorize"]["state"][0]
        route.fulfill(status=302, headers={"Location": f"{callback}?code=code-1&state={state}"})

    def token(route: Route) -> None:
        sent["token"] = parse_qs(route.request.post_data or "")
        route.fulfill(
            status=200,
            headers={"Access-Control-Allow-Origin": "*"},
            json={"id_token": stack.token("camille.martin"), "token_type": "Bearer"},
        )

    page.route(
        "**/config.js",
        lambda route: route.fulfill(body=COGNITO_CONFIG, content_type="text/javascript"),
    )
    page.route(f"{FAKE_PROVIDER}/oauth2/authorize?*", authorize)
    page.route(f"{FAKE_PROVIDER}/oauth2/token", token)
    page.route(f"{FAKE_PROVIDER}/logout?*", lambda route: route.fulfill(body="signed out"))
    page.goto("/profil.html")
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(re.compile(r"/profil\.html$"))
    expect(page.get_by_role("heading", name="Foyer Martin")).to_be_visible()
    authorize_query = sent["authorize"]
    token_form = sent["token"]
    assert authorize_query["response_type"] == ["code"]
    assert authorize_query["client_id"] == ["client-e2e"]
    assert authorize_query["code_challenge_method"] == ["S256"]
    assert authorize_query["scope"] == ["openid email profile"]
    assert authorize_query["redirect_uri"][0].endswith("/connexion.html")
    assert token_form["grant_type"] == ["authorization_code"]
    assert token_form["code"] == ["code-1"]
    assert token_form["redirect_uri"] == authorize_query["redirect_uri"]
    verifier = token_form["code_verifier"][0]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert authorize_query["code_challenge"] == [challenge.decode().rstrip("=")]

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(FAKE_PROVIDER)}/logout\?"))
    logout_query = parse_qs(urlsplit(page.url).query)
    assert logout_query["client_id"] == ["client-e2e"]
    assert logout_query["logout_uri"] == authorize_query["redirect_uri"]
    assert page.evaluate("sessionStorage.length") == 0


def test_cognito_redirect_with_foreign_state_is_rejected(page):
    page.route(
        "**/config.js",
        lambda route: route.fulfill(body=COGNITO_CONFIG, content_type="text/javascript"),
    )

    page.goto("/connexion.html?code=code-1&state=not-sent-by-this-tab")

    expect(page.get_by_role("status")).to_contain_text("La connexion n'a pas pu être finalisée")
    assert page.evaluate("sessionStorage.getItem('demarches.session')") is None
