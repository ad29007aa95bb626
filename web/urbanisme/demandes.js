// The caller's requests, newest first (the office's, for a notary): number, type, state and
// deadline, each linked to its follow-up page, or to the form while it is a draft.

import { get } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { messageFor } from "../js/errors.js";
import { formatDay, formatInstant } from "../js/format.js";
import { startPage } from "../js/shell.js";
import { TYPE_LABELS, statusLabel } from "./commun.js";

const container = document.getElementById("demandes");

function dossierLink(dossier) {
  const draft = dossier.status === "draft";
  const url = new URL(draft ? "demande.html" : "dossier.html", window.location.href);
  url.searchParams.set("dossier", dossier.dossier_id);
  const text = draft
    ? `Brouillon du ${formatInstant(dossier.created_at)}`
    : dossier.registration_number;
  return h("a", { href: url.href }, text);
}

function row(dossier) {
  const [label, tagClass] = statusLabel(dossier.status, true);
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, dossierLink(dossier)),
    h("td", {}, TYPE_LABELS[dossier.request_type] ?? dossier.request_type),
    h("td", {}, dossier.applicant_name ?? "—"),
    h("td", {}, h("span", { className: `etiquette ${tagClass}` }, label)),
    h("td", {}, dossier.last_day ? formatDay(dossier.last_day) : "—"),
  );
}

async function main() {
  const session = await startPage({ audience: ["household", "notary"] });
  if (!session) {
    return;
  }
  if (session.officeId) {
    document.getElementById("portee").textContent =
      "Les demandes de votre office, la plus récente en premier.";
  }
  try {
    const { dossiers } = await get("/urbanisme/dossiers");
    if (dossiers.length === 0) {
      replaceChildren(container, h("p", {}, "Vous n'avez encore aucune demande."));
      return;
    }
    replaceChildren(
      container,
      h(
        "div",
        { className: "tableau" },
        h(
          "table",
          {},
          h("caption", {}, "Demandes d'urbanisme"),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ["Demande", "Type", "Demandeur ou propriétaire", "État", "Réponse au plus tard"].map(
                (label) => h("th", { scope: "col" }, label),
              ),
            ),
          ),
          h("tbody", {}, dossiers.map(row)),
        ),
      ),
    );
  } catch (error) {
    replaceChildren(
      container,
      h("div", { className: "encart encart-erreur", role: "alert" }, h("p", {}, messageFor(error))),
    );
  } finally {
    container.removeAttribute("aria-busy");
  }
}

main();
