// The frame every page shares: header with the main menu and the signed-in user, footer, and
// the checks a page needs before it shows anything (signed in, role).
//
// A page's HTML contains the skip link, `<header data-shell="entete">`, `<main id="contenu">` and
// `<footer data-shell="pied">`; startPage fills the header and footer.

import { readSession, pageUrl, redirectToSignIn, signOut } from "./auth.js";
import { DEMARCHES } from "./demarches.js";
import { h, replaceChildren } from "./dom.js";

const SITE_NAME = "Démarches en ligne";
const AUTHORITY = "Communauté d'agglomération du Grand Verdun";

/**
 * Returns true when `session` may see a menu entry of the given audience, or of one of the
 * audiences of an array.
 */
export function canSee(session, audience) {
  if (Array.isArray(audience)) {
    return audience.some((one) => canSee(session, one));
  }
  if (!audience || audience === "public") {
    return true;
  }
  if (!session) {
    return false;
  }
  if (audience === "household") {
    return Boolean(session.householdId);
  }
  return session.roles.includes(audience);
}

/** Returns the démarches with the menu entries `session` may see, and only those with some. */
export function visibleDemarches(session) {
  return DEMARCHES.map((demarche) => ({
    ...demarche,
    links: demarche.links.filter((link) => canSee(session, link.audience)),
  })).filter((demarche) => demarche.links.length > 0);
}

function menuLink(relative, label) {
  const url = pageUrl(relative);
  const current = url.pathname === window.location.pathname;
  return h("a", { href: url.href, "aria-current": current ? "page" : null }, label);
}

function renderHeader(container, session) {
  const items = [h("li", {}, menuLink("index.html", "Accueil"))];
  if (session) {
    items.push(h("li", {}, menuLink("profil.html", "Mon profil")));
  }
  for (const demarche of visibleDemarches(session)) {
    items.push(
      h(
        "li",
        { className: "menu-groupe" },
        h("span", { className: "menu-titre", id: `menu-${demarche.id}` }, demarche.title),
        h(
          "ul",
          { "aria-labelledby": `menu-${demarche.id}` },
          demarche.links.map((link) => h("li", {}, menuLink(link.href, link.label))),
        ),
      ),
    );
  }

  const onSignInPage = pageUrl("connexion.html").pathname === window.location.pathname;
  let account = null;
  if (session) {
    account = h(
      "div",
      { className: "compte" },
      h("span", { className: "compte-nom" }, session.name),
      h(
        "button",
        { type: "button", className: "bouton-secondaire", onClick: signOut },
        "Se déconnecter",
      ),
    );
  } else if (!onSignInPage) {
    account = h(
      "div",
      { className: "compte" },
      h("a", { className: "bouton-lien", href: pageUrl("connexion.html").href }, "Se connecter"),
    );
  }

  replaceChildren(
    container,
    h(
      "div",
      { className: "entete-haut" },
      h(
        "a",
        { className: "marque", href: pageUrl("index.html").href },
        h("span", { className: "marque-autorite" }, AUTHORITY),
        h("span", { className: "marque-site" }, SITE_NAME),
      ),
      account,
    ),
    h("nav", { className: "menu", "aria-label": "Menu principal" }, h("ul", {}, items)),
  );
}

function renderFooter(container) {
  replaceChildren(
    container,
    h(
      "p",
      {},
      `${AUTHORITY} · ${SITE_NAME} · `,
      menuLink("accessibilite.html", "Accessibilité : partiellement conforme"),
    ),
  );
}

/**
 * Shows a notice in place of the page's content: a missing role, a failed load.
 * The notice is a status region, so assistive technologies read it out.
 */
export function showPageNotice(title, text) {
  const main = document.getElementById("contenu");
  const heading = main.querySelector("h1");
  replaceChildren(
    main,
    heading ?? h("h1", {}, title),
    h(
      "div",
      { className: "encart encart-info", role: "status" },
      h("p", {}, h("strong", {}, title)),
      h("p", {}, text),
    ),
  );
}

/**
 * Fills the header and footer and checks access. Resolves to the session (null on a public
 * page without one), or to undefined when the page may not be shown (a notice replaces it, or
 * the browser is on its way to the sign-in page).
 */
export async function startPage({ signIn = true, audience = null } = {}) {
  const session = readSession();
  for (const container of document.querySelectorAll('[data-shell="entete"]')) {
    renderHeader(container, session);
  }
  for (const container of document.querySelectorAll('[data-shell="pied"]')) {
    renderFooter(container);
  }
  if (signIn && !session) {
    redirectToSignIn("connexion-requise");
    return undefined;
  }
  if (audience && !canSee(session, audience)) {
    let text =
      "Cette page est réservée aux agents habilités. Connectez-vous avec un compte d'agent.";
    if (audience === "household") {
      text = "Cette page est réservée aux comptes rattachés à un foyer.";
    } else if (Array.isArray(audience)) {
      text = "Cette page n'est pas ouverte à votre compte.";
    }
    showPageNotice("Accès réservé", text);
    return undefined;
  }
  return session;
}
