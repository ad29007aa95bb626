"""Sign-in, sign-out and the return to sign-in when the API rejects the token."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_rejected_token_returns_to_sign_in(page, sign_in, stack):
    genuine = stack.token("camille.martin")
    header, claims, signature = genuine.split(".")
    forged = ".".join([header, claims, signature[::-1]])
    page.goto("/connexion.html")
    page.evaluate(
        "token => sessionStorage.setItem('demarches.session', JSON.stringify({idToken: token}))",
        forged,
    )

    page.goto("/profil.html")

    expect(page).to_have_url(re.compile(r"/connexion\.html\?retour=%2Fprofil\.html"))
    expect(page.get_by_role("status")).to_contain_text("Votre session a expiré")
    assert page.evaluate("sessionStorage.getItem('demarches.session')") is None
    sign_in(page, "camille.martin")
    expect(page).to_have_url(re.compile(r"/profil\.html$"))
    expect(page.get_by_role("heading", name="Foyer Martin")).to_be_visible()


def test_profile_lists_household_members(page, sign_in):
    sign_in(page, "camille.martin")
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
