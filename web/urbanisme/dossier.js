// The applicant's view of one request: its state and deadline, the service's request for
// documents to upload or for a visit, the documents to download and the timeline.

import { get, post } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatInstant } from "../js/format.js";
import { startPage } from "../js/shell.js";
import { waitForDossier } from "./commun.js";
import { pieceUploader } from "./pieces.js";
import { documentsForm, piecesList, summary, timelineList } from "./vue-dossier.js";

const container = document.getElementById("dossier");
const result = document.getElementById("resultat");

let dossierId = "";

function reportForm(dossier) {
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "complement-titre" },
    h("div", { "data-resume-erreur": true, role: "alert" }),
    h(
      "div",
      { className: "actions", "data-api-field": "outcome" },
      h("button", { type: "submit" }, "Signaler au service que les pièces sont envoyées"),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    if (button.disabled) {
      return;
    }
    clearErrors(form);
    button.disabled = true;
    try {
      await post(`/urbanisme/dossiers/${dossier.dossier_id}/complement`, {
        outcome: "documents_received",
      });
      await waitForDossier(dossier.dossier_id, (read) => read.status !== "awaiting_documents");
      replaceChildren(result, h("p", {}, "Pièces transmises : l'instruction reprend."));
      await load();
      result.focus();
    } catch (error) {
      button.disabled = false;
      showError(form, error, "Le signalement n'a pas abouti.");
    }
  });
  return form;
}

function complementSection(dossier) {
  const complement = dossier.complement;
  if (!complement || complement.resumed_on) {
    return null;
  }
  if (dossier.status === "awaiting_visit") {
    return h(
      "section",
      { className: "encart", "aria-labelledby": "complement-titre" },
      h("h2", { id: "complement-titre" }, "Le service demande à visiter le bien"),
      h("p", { className: "texte-long" }, complement.message),
      h(
        "p",
        {},
        `Demande du ${formatInstant(complement.requested_at)}. Le service vous contactera.`,
      ),
    );
  }
  if (dossier.status !== "awaiting_documents") {
    return null;
  }
  const pieces = new Map(dossier.pieces.map((piece) => [piece.code, piece]));
  const missing = dossier.catalogue.filter((spec) => dossier.missing_pieces.includes(spec.code));
  return h(
    "section",
    { className: "encart", "aria-labelledby": "complement-titre" },
    h("h2", { id: "complement-titre" }, "Le service demande des pièces complémentaires"),
    h("p", { className: "texte-long" }, complement.message),
    h("p", {}, `Demande du ${formatInstant(complement.requested_at)}.`),
    [...complement.documents, ...missing].map((spec) =>
      pieceUploader(dossier.dossier_id, spec, pieces.get(spec.code)),
    ),
    reportForm(dossier),
  );
}

async function load() {
  const [dossier, timeline] = await Promise.all([
    get(`/urbanisme/dossiers/${encodeURIComponent(dossierId)}`),
    get(`/urbanisme/dossiers/${encodeURIComponent(dossierId)}/timeline`),
  ]);
  const title = dossier.registration_number
    ? `Demande n° ${dossier.registration_number}`
    : "Demande en brouillon";
  document.getElementById("titre").textContent = title;
  document.title = `${title} · Urbanisme · Démarches en ligne · Grand Verdun`;
  replaceChildren(
    container,
    summary(dossier, { forApplicant: true }),
    dossier.status === "draft"
      ? h(
          "p",
          {},
          h("a", { href: `demande.html?dossier=${dossier.dossier_id}` }, "Reprendre le brouillon"),
        )
      : null,
    complementSection(dossier),
    h("h2", {}, "Documents"),
    documentsForm(dossier),
    h("h2", {}, "Pièces jointes"),
    piecesList(dossier),
    h("h2", {}, "Historique"),
    timelineList(timeline, { forStaff: false }),
  );
}

async function main() {
  const session = await startPage();
  if (!session) {
    return;
  }
  dossierId = queryParameter("dossier") ?? "";
  try {
    await load();
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
