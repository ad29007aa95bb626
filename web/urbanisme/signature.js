// The signatory's page: the decisions awaiting signature, each with its draft to read, to
// sign electronically or to return to the agent with a note.

import { get, post } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { startPage } from "../js/shell.js";
import { OUTCOME_LABELS, TYPE_LABELS, waitForDossier } from "./commun.js";
import { documentsForm, summary } from "./vue-dossier.js";

const container = document.getElementById("decisions");
const result = document.getElementById("resultat");

let sending = false;

async function decide(form, dossier, action) {
  if (sending) {
    return;
  }
  clearErrors(form);
  const intro =
    action === "sign" ? "La décision n'a pas été signée." : "Le projet n'a pas été renvoyé.";
  const note = form.elements.note.value.trim();
  if (action === "return_for_revision" && !note) {
    showError(form, { code: "note_required", field: "note" }, intro);
    return;
  }
  sending = true;
  const buttons = form.querySelectorAll("button");
  for (const button of buttons) {
    button.disabled = true;
  }
  try {
    await post(`/urbanisme/dossiers/${dossier.dossier_id}/signature`, {
      action,
      note: note || undefined,
    });
    replaceChildren(
      result,
      h("p", {}, action === "sign" ? "Signature en cours…" : "Renvoi en cours…"),
    );
    const done = await waitForDossier(
      dossier.dossier_id,
      (read) => read.status !== "awaiting_signature",
    );
    const number = dossier.registration_number;
    replaceChildren(
      result,
      h(
        "p",
        {},
        action === "sign"
          ? `Décision du dossier ${number} signée : ` +
              `${OUTCOME_LABELS[done.outcome] ?? "décision"}. Elle est envoyée au demandeur.`
          : `Le projet de décision du dossier ${number} est renvoyé à l'instructeur.`,
      ),
    );
    await load();
    result.focus();
  } catch (error) {
    showError(form, error, intro);
  } finally {
    sending = false;
    for (const button of buttons) {
      button.disabled = false;
    }
  }
}

function decisionCard(dossier) {
  const headingId = `decision-${dossier.dossier_id}`;
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": headingId },
    h("div", { "data-resume-erreur": true, role: "alert" }),
    h(
      "div",
      { className: "champ", "data-api-field": "note" },
      h("label", { for: `${headingId}-note` }, "Note à l'instructeur"),
      h(
        "span",
        { className: "aide", id: `${headingId}-note-aide` },
        "Obligatoire pour renvoyer le projet : ce qu'il faut modifier.",
      ),
      h("textarea", {
        id: `${headingId}-note`,
        name: "note",
        rows: "3",
        "aria-describedby": `${headingId}-note-aide`,
      }),
    ),
    h(
      "div",
      { className: "actions", "data-api-field": "action" },
      h("button", { type: "submit", value: "sign" }, "Signer la décision"),
      h(
        "button",
        { type: "submit", value: "return_for_revision", className: "bouton-secondaire" },
        "Renvoyer pour modification",
      ),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    decide(form, dossier, event.submitter?.value ?? "sign");
  });
  return h(
    "article",
    { className: "reservation" },
    h(
      "h2",
      { id: headingId },
      `${dossier.registration_number} · `,
      TYPE_LABELS[dossier.request_type] ?? dossier.request_type,
    ),
    summary(dossier, { forApplicant: false }),
    h("h3", {}, "Documents"),
    documentsForm(dossier),
    form,
  );
}

async function load() {
  const { dossiers } = await get("/urbanisme/queue");
  const waiting = dossiers.filter((dossier) => dossier.status === "awaiting_signature");
  if (waiting.length === 0) {
    replaceChildren(container, h("p", {}, "Aucune décision n'attend votre signature."));
    return;
  }
  const full = await Promise.all(
    waiting.map((dossier) => get(`/urbanisme/dossiers/${dossier.dossier_id}`)),
  );
  replaceChildren(container, full.map(decisionCard));
}

async function main() {
  const session = await startPage({ audience: "signatory" });
  if (!session) {
    return;
  }
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
