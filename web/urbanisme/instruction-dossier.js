// An urbanism agent's view of one dossier: the request, pieces, documents and timeline. The
// page also offers the action the instruction workflow waits for: request documents or a visit
// (DIA), draft the decision and send it for signature, or record the documents or the visit.

import { get, post } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatInstant, todayInParis } from "../js/format.js";
import { startPage } from "../js/shell.js";
import { waitForDossier } from "./commun.js";
import { documentsForm, piecesList, requestDetails, summary, timelineList } from "./vue-dossier.js";

const container = document.getElementById("dossier");
const result = document.getElementById("resultat");

let dossierId = "";
let sending = false;

/** Paragraphs of a text area: blocks separated by an empty line. */
function paragraphs(text) {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean);
}

/** Field of an instruction error, as the forms name it: `decision.outcome`, `message`. */
function formField(field) {
  if (!field) {
    return field;
  }
  return field
    .replace(/^(request_documents|request_visit|draft_decision)\./, "")
    .replace(/_cents$/, "");
}

function textArea(formId, name, label, help, rows = 4) {
  const id = `${formId}-${name.replace(/\./g, "-")}`;
  return h(
    "div",
    { className: "champ", "data-api-field": name },
    h("label", { for: id }, label),
    help ? h("span", { className: "aide", id: `${id}-aide` }, help) : null,
    h("textarea", { id, name, rows: String(rows), "aria-describedby": help ? `${id}-aide` : null }),
  );
}

function radios(name, legend, options) {
  return h(
    "fieldset",
    { className: "sans-cadre", "data-api-field": name },
    h("legend", {}, legend),
    h(
      "div",
      { className: "choix-en-ligne" },
      options.map(([value, label]) =>
        h(
          "div",
          { className: "choix" },
          h("input", { type: "radio", id: `champ-${name}-${value}`, name, value }),
          h("label", { for: `champ-${name}-${value}` }, label),
        ),
      ),
    ),
  );
}

/**
 * Wires an action form: `body(form)` returns the request body, or an error for showError
 * when a field is missing. The page then waits until the workflow has moved on.
 */
function actionForm(id, title, children, submitLabel, path, body, moved) {
  const form = h(
    "form",
    { id, novalidate: true, "aria-labelledby": `${id}-titre` },
    h("h3", { id: `${id}-titre` }, title),
    h("div", { "data-resume-erreur": true, role: "alert" }),
    children,
    h("div", { className: "actions" }, h("button", { type: "submit" }, submitLabel)),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) {
      return;
    }
    clearErrors(form);
    const intro = "Le choix n'a pas été transmis.";
    const built = body(form, event.submitter);
    if (built.error) {
      showError(form, built.error, intro);
      return;
    }
    sending = true;
    const button = event.submitter;
    button.disabled = true;
    try {
      await post(`/urbanisme/dossiers/${dossierId}/${path}`, built.body);
      replaceChildren(result, h("p", {}, "Choix transmis : le dossier passe à l'étape suivante…"));
      const dossier = await waitForDossier(dossierId, moved);
      await load(dossier);
      replaceChildren(result, h("p", {}, "Choix enregistré."));
      result.focus();
    } catch (error) {
      error.field = formField(error.field);
      showError(form, error, intro);
    } finally {
      sending = false;
      button.disabled = false;
    }
  });
  return form;
}

/**
 * Returns the test of a dossier that has moved on from the step `previous`: the workflow
 * waits on another step, has recorded a failure, or has ended. Right after a choice, the
 * dossier waits on nothing for a moment while the workflow applies it.
 */
function movedOn(previous) {
  return (dossier) =>
    Boolean(dossier.failure) ||
    Boolean(dossier.outcome) ||
    (dossier.awaiting !== null && dossier.awaiting !== previous);
}

const leftInstruction = movedOn("instruction");

function requestDocumentsForm() {
  return actionForm(
    "demande-pieces",
    "Demander des pièces complémentaires",
    [
      textArea("demande-pieces", "message", "Message au demandeur", "Expliquez ce qui manque."),
      textArea("demande-pieces", "documents", "Pièces demandées", "Une par ligne, dix au plus.", 3),
    ],
    "Demander les pièces",
    "instruction",
    (form) => {
      const message = form.elements.message.value.trim();
      const documents = form.elements.documents.value
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
      if (!message) {
        return { error: { code: "message_missing", field: "message" } };
      }
      if (documents.length === 0) {
        return { error: { code: "documents_missing", field: "documents" } };
      }
      return { body: { action: "request_documents", message, documents } };
    },
    leftInstruction,
  );
}

function requestVisitForm() {
  return actionForm(
    "demande-visite",
    "Demander une visite du bien",
    [
      textArea(
        "demande-visite",
        "message",
        "Message au notaire",
        "Proposez des créneaux de visite.",
      ),
    ],
    "Demander la visite",
    "instruction",
    (form) => {
      const message = form.elements.message.value.trim();
      if (!message) {
        return { error: { code: "message_missing", field: "message" } };
      }
      return { body: { action: "request_visit", message } };
    },
    leftInstruction,
  );
}

function decisionFields(type) {
  if (type === "DIA") {
    return [
      radios("decision.kind", "Décision", [
        ["renonciation", "Renoncer à préempter"],
        ["preemption", "Préempter le bien"],
      ]),
      h(
        "div",
        { className: "champ", "data-api-field": "decision.offered_price" },
        h("label", { for: "champ-prix" }, "Prix proposé en cas de préemption, en euros"),
        h("input", { type: "text", id: "champ-prix", name: "offered_price", inputmode: "decimal" }),
      ),
      textArea(
        "redaction",
        "decision.reasons",
        "Objet de la préemption",
        "Obligatoire pour une préemption. Un paragraphe par motif, séparés par une ligne vide.",
      ),
    ];
  }
  return [
    type === "CUb"
      ? radios("decision.outcome", "L'opération est-elle réalisable ?", [
          ["realisable", "Oui, réalisable"],
          ["non_realisable", "Non, irréalisable"],
        ])
      : null,
    h(
      "div",
      { className: "champ", "data-api-field": "decision.sections" },
      h("label", { for: "champ-section-titre" }, "Titre de la rubrique"),
      h(
        "span",
        { className: "aide", id: "champ-section-aide" },
        "Par exemple : Dispositions d'urbanisme applicables.",
      ),
      h("input", {
        type: "text",
        id: "champ-section-titre",
        name: "section_title",
        "aria-describedby": "champ-section-aide",
      }),
    ),
    textArea(
      "redaction",
      "decision.sections.paragraphs",
      "Texte de la rubrique",
      "Règles, servitudes, taxes, ou motifs d'un certificat négatif. Un paragraphe par " +
        "bloc, séparés par une ligne vide.",
      6,
    ),
  ];
}

function parseEuros(text) {
  const compact = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  return /^\d+(\.\d{1,2})?$/.test(compact) ? Math.round(Number(compact) * 100) : null;
}

function draftDecisionForm(type) {
  return actionForm(
    "redaction",
    "Rédiger la décision",
    decisionFields(type),
    "Rédiger et transmettre pour signature",
    "instruction",
    (form) => {
      const decision = {};
      if (type === "DIA") {
        decision.kind = form.querySelector('input[name="decision.kind"]:checked')?.value;
        if (!decision.kind) {
          return { error: { code: "decision_invalid", field: "decision.kind" } };
        }
        const price = form.elements.offered_price.value.trim();
        if (price) {
          decision.offered_price_cents = parseEuros(price);
          if (decision.offered_price_cents === null) {
            return { error: { code: "amount_invalid", field: "decision.offered_price" } };
          }
        }
        decision.reasons = paragraphs(form.elements["decision.reasons"].value);
      } else {
        decision.kind = "certificat";
        if (type === "CUb") {
          decision.outcome = form.querySelector('input[name="decision.outcome"]:checked')?.value;
        }
        const title = form.elements.section_title.value.trim();
        const texts = paragraphs(form.elements["decision.sections.paragraphs"].value);
        if (title || texts.length > 0) {
          decision.sections = [{ title, paragraphs: texts }];
        }
      }
      return { body: { action: "draft_decision", decision } };
    },
    leftInstruction,
  );
}

function complementForm(dossier) {
  const visit = dossier.awaiting === "visit";
  const children = [
    h(
      "div",
      { className: "champ", "data-api-field": "on" },
      h(
        "label",
        { for: "champ-on" },
        visit ? "Jour de la visite ou du refus" : "Jour de réception",
      ),
      h("input", {
        type: "date",
        id: "champ-on",
        name: "on",
        value: todayInParis(),
        max: todayInParis(),
      }),
    ),
  ];
  const form = actionForm(
    "complement",
    visit ? "Enregistrer la visite" : "Enregistrer la réception des pièces",
    children,
    visit ? "Visite effectuée" : "Pièces reçues",
    "complement",
    (form, submitter) => {
      let outcome = "documents_received";
      if (visit) {
        outcome = submitter?.value === "refus" ? "visit_refused" : "visit_held";
      }
      return { body: { outcome, on: form.elements.on.value || undefined } };
    },
    movedOn(dossier.awaiting),
  );
  if (visit) {
    form
      .querySelector(".actions")
      .append(
        h(
          "button",
          { type: "submit", value: "refus", className: "bouton-danger" },
          "Visite refusée",
        ),
      );
  }
  return form;
}

function actionSection(dossier) {
  const children = [];
  switch (dossier.awaiting) {
    case "instruction":
      children.push(
        h("p", {}, "Une seule demande de pièces ou de visite est possible par dossier."),
        dossier.complement ? null : requestDocumentsForm(),
        dossier.complement || dossier.request_type !== "DIA" ? null : requestVisitForm(),
        draftDecisionForm(dossier.request_type),
      );
      break;
    case "documents":
    case "visit":
      children.push(
        h(
          "p",
          { className: "texte-long" },
          `Demande du ${formatInstant(dossier.complement.requested_at)} : ` +
            dossier.complement.message,
        ),
        complementForm(dossier),
      );
      break;
    case "signature":
      children.push(h("p", {}, "La décision attend la signature de l'élu."));
      break;
    default:
      children.push(h("p", {}, "Aucune action n'est attendue du service."));
  }
  return h(
    "section",
    { className: "encart", "aria-labelledby": "action-titre" },
    h("h2", { id: "action-titre" }, "Action attendue"),
    children,
  );
}

async function load(known = null) {
  const path = `/urbanisme/dossiers/${encodeURIComponent(dossierId)}`;
  const [dossier, timeline] = await Promise.all([known ?? get(path), get(`${path}/timeline`)]);
  const title = `Dossier n° ${dossier.registration_number ?? dossier.dossier_id}`;
  document.getElementById("titre").textContent = title;
  document.title = `${title} · Urbanisme · Démarches en ligne · Grand Verdun`;
  replaceChildren(
    container,
    summary(dossier, { forApplicant: false }),
    dossier.failure
      ? h(
          "div",
          { className: "encart encart-erreur", role: "alert" },
          h(
            "p",
            {},
            `Incident de traitement le ${formatInstant(dossier.failure.at)}, après l'étape ` +
              `${dossier.failure.after_step} : ${dossier.failure.error}.`,
          ),
        )
      : null,
    actionSection(dossier),
    h("h2", {}, "Demande"),
    requestDetails(dossier),
    h("h2", {}, "Pièces jointes"),
    piecesList(dossier),
    h("h2", {}, "Documents"),
    documentsForm(dossier),
    h("h2", {}, "Historique"),
    timelineList(timeline, { forStaff: true }),
  );
}

async function main() {
  const session = await startPage({ audience: "urbanisme_agent" });
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
