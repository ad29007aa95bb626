// The urbanism agents' queue: open requests of the territory, earliest deadline first, with
// the days left and the step each one waits on.

import { get } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { messageFor } from "../js/errors.js";
import { formatDay, plural, todayInParis } from "../js/format.js";
import { startPage } from "../js/shell.js";
import { STATUS_LABELS, TYPE_LABELS } from "./commun.js";

const AWAITING = {
  instruction: "Choix de l'instructeur",
  documents: "Pièces du demandeur",
  visit: "Visite du bien",
  signature: "Signature de l'élu",
};

const container = document.getElementById("file");

function daysLeft(lastDay) {
  const days = Math.round(
    (new Date(`${lastDay}T12:00:00Z`) - new Date(`${todayInParis()}T12:00:00Z`)) / 86_400_000,
  );
  if (days < 0) {
    return h("span", { className: "etiquette etiquette-erreur" }, "délai dépassé");
  }
  const tagClass = days <= 7 ? "etiquette etiquette-erreur" : "etiquette";
  return h("span", { className: tagClass }, days === 0 ? "aujourd'hui" : `J-${days}`);
}

function row(dossier) {
  const url = new URL("instruction-dossier.html", window.location.href);
  url.searchParams.set("dossier", dossier.dossier_id);
  const [label, tagClass] = STATUS_LABELS[dossier.status] ?? [dossier.status, ""];
  return h(
    "tr",
    {},
    h(
      "td",
      {},
      dossier.last_day
        ? [formatDay(dossier.last_day), " ", daysLeft(dossier.last_day)]
        : "suspendu",
    ),
    h("th", { scope: "row" }, h("a", { href: url.href }, dossier.registration_number)),
    h("td", {}, TYPE_LABELS[dossier.request_type] ?? dossier.request_type),
    h("td", {}, dossier.applicant_name ?? "—"),
    h("td", {}, dossier.code_insee ?? "—"),
    h(
      "td",
      {},
      h("span", { className: `etiquette ${tagClass}` }, label),
      dossier.failed ? h("span", { className: "etiquette etiquette-erreur" }, "incident") : null,
    ),
    h("td", {}, dossier.awaiting ? (AWAITING[dossier.awaiting] ?? dossier.awaiting) : "—"),
  );
}

async function main() {
  const session = await startPage({ audience: "urbanisme_agent" });
  if (!session) {
    return;
  }
  try {
    const { dossiers } = await get("/urbanisme/queue");
    if (dossiers.length === 0) {
      replaceChildren(container, h("p", {}, "Aucune demande ouverte."));
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
          h("caption", {}, plural(dossiers.length, "demande ouverte", "demandes ouvertes")),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              [
                "Échéance",
                "Numéro",
                "Type",
                "Demandeur ou propriétaire",
                "Commune (INSEE)",
                "État",
                "En attente de",
              ].map((label) => h("th", { scope: "col" }, label)),
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
