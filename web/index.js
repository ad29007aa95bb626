// Home page: the démarches the visitor may use, each with its menu entries.

import { pageUrl } from "./js/auth.js";
import { DEMARCHES } from "./js/demarches.js";
import { h, replaceChildren } from "./js/dom.js";
import { startPage, visibleDemarches } from "./js/shell.js";

/** Returns true when one of `links` is meant for residents with a household. */
function hasHouseholdLink(links) {
  return links.some((link) => [link.audience].flat().includes("household"));
}

function card(demarche, links) {
  // An account shown only agents' entries gets the description of those pages, because the
  // residents' wording ("votre foyer") does not apply to it.
  const description =
    links.length > 0 && !hasHouseholdLink(links) && demarche.staffDescription
      ? demarche.staffDescription
      : demarche.description;
  return h(
    "li",
    { className: "carte" },
    h("h2", {}, demarche.title),
    h("p", {}, description),
    links.length > 0
      ? h(
          "ul",
          {},
          links.map((link) => h("li", {}, h("a", { href: pageUrl(link.href).href }, link.label))),
        )
      : null,
  );
}

async function main() {
  const session = await startPage({ signIn: false });
  const container = document.getElementById("demarches");
  if (!session) {
    replaceChildren(
      container,
      h(
        "p",
        {},
        h("a", { className: "bouton-lien", href: pageUrl("connexion.html").href }, "Se connecter"),
      ),
      h("ul", { className: "cartes" }, DEMARCHES.map((demarche) => card(demarche, []))),
    );
    return;
  }
  const demarches = visibleDemarches(session);
  replaceChildren(
    container,
    h("p", {}, `Bonjour ${session.name}.`),
    demarches.length > 0
      ? h(
          "ul",
          { className: "cartes" },
          demarches.map((demarche) => card(demarche, demarche.links)),
        )
      : h("p", {}, "Aucune démarche en ligne n'est ouverte à votre compte pour le moment."),
  );
}

main();
