// Parts of a dossier's page shared by the applicant's and the staff's views: the summary,
// the request as filed, the pieces, the documents to download and the timeline.

import { h } from "../js/dom.js";
import { clearErrors, showError } from "../js/errors.js";
import { formatDay, formatEuros, formatInstant } from "../js/format.js";
import {
  DOCUMENT_LABELS,
  OUTCOME_LABELS,
  PIECE_STATUS,
  TYPE_LABELS,
  downloadDocument,
  statusLabel,
} from "./commun.js";
import { SECTIONS } from "./formulaire.js";

function definitions(rows) {
  return h(
    "dl",
    { className: "details" },
    rows
      .filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
  );
}

/** Returns the name of the applicant of a CU or of the owner of a DIA, or null. */
export function partyName(request) {
  const party = request.owner ?? request.applicant;
  if (!party) {
    return null;
  }
  if (party.kind === "company") {
    return party.company_name ?? null;
  }
  return [party.first_name, party.last_name].filter(Boolean).join(" ") || null;
}

function deadlineText(dossier) {
  if (dossier.last_day) {
    return formatDay(dossier.last_day);
  }
  if (dossier.received_at && !dossier.outcome) {
    // The API gives no last day while a DIA's deadline is suspended.
    return "délai suspendu jusqu'à la réponse demandée";
  }
  return null;
}

/** Builds the type, status, dates and outcome of a dossier. */
export function summary(dossier, { forApplicant }) {
  const [label, tagClass] = statusLabel(dossier.status, forApplicant);
  return definitions([
    ["Type", TYPE_LABELS[dossier.request_type] ?? dossier.request_type],
    [dossier.request_type === "DIA" ? "Propriétaire" : "Demandeur", partyName(dossier.request)],
    ["État", h("span", { className: `etiquette ${tagClass}` }, label)],
    ["Déposée le", dossier.received_at ? formatInstant(dossier.received_at) : null],
    ["Réponse au plus tard le", deadlineText(dossier)],
    ["Décision", dossier.outcome ? (OUTCOME_LABELS[dossier.outcome] ?? dossier.outcome) : null],
  ]);
}

function valueText(field, value) {
  if (value === undefined || value === null) {
    return null;
  }
  if (field.type === "radio" || field.type === "select") {
    const option = field.options.find(([code]) => code === String(value));
    return option ? option[1] : String(value);
  }
  if (field.type === "money") {
    return formatEuros(value);
  }
  if (field.type === "lines") {
    return value.join(", ");
  }
  if (field.type === "integer") {
    return `${value} m²`;
  }
  return String(value);
}

function fieldRows(fields, request, prefix = "") {
  const rows = [];
  for (const field of fields) {
    if (field.group) {
      rows.push(...fieldRows(field.fields, request, `${field.group} : `));
      continue;
    }
    const value = field.path.split(".").reduce((object, key) => object?.[key], request);
    rows.push([`${prefix}${field.label}`, valueText(field, value)]);
  }
  return rows;
}

/** Builds the request as filed, section by section, with the labels of the form. */
export function requestDetails(dossier) {
  return SECTIONS[dossier.request_type].map((section) => [
    h("h3", {}, section.title),
    definitions(fieldRows(section.fields, dossier.request)),
  ]);
}

/** Lists the pieces of the dossier with the outcome of their check. */
export function piecesList(dossier) {
  if (dossier.pieces.length === 0) {
    return h("p", {}, "Aucune pièce jointe.");
  }
  const labels = new Map(dossier.catalogue.map((spec) => [spec.code, spec.label]));
  return h(
    "ul",
    { className: "liste-simple" },
    dossier.pieces.map((piece) =>
      h(
        "li",
        {},
        h("strong", {}, piece.label ?? labels.get(piece.code) ?? piece.code),
        ` : ${piece.file_name}, ${(PIECE_STATUS[piece.status] ?? piece.status).toLowerCase()}`,
        piece.message ? `. ${piece.message}` : "",
      ),
    ),
  );
}

/** Builds one download button per document, in a form that shows a failed download. */
export function documentsForm(dossier) {
  if (dossier.documents.length === 0) {
    return h("p", {}, "Aucun document n'est encore émis.");
  }
  const form = h(
    "form",
    { novalidate: true, "aria-label": "Documents de la demande" },
    h("div", { "data-resume-erreur": true, role: "alert" }),
  );
  const items = dossier.documents.map((document) =>
    h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          className: "bouton-secondaire",
          dataset: { document: document.kind },
          onClick: async () => {
            clearErrors(form);
            try {
              await downloadDocument(dossier.dossier_id, document.kind);
            } catch (error) {
              showError(form, error, "Le document n'a pas pu être téléchargé.");
            }
          },
        },
        `Télécharger : ${DOCUMENT_LABELS[document.kind] ?? document.kind} (PDF)`,
      ),
      h("span", { className: "aide" }, `Émis le ${formatInstant(document.issued_at)}`),
    ),
  );
  form.append(h("ul", { className: "liste-documents" }, items));
  return form;
}

// French names of the workflow roles that appear in the timeline.
const ROLE_LABELS = {
  applicant: "demandeur",
  agent: "service instructeur",
  signatory: "signataire",
  system: "traitement automatique",
};

function actorLabel(entry) {
  if (entry.role === "system") {
    return "Par le traitement automatique";
  }
  return `Par ${entry.actor_id} (${ROLE_LABELS[entry.role] ?? entry.role})`;
}

/** Lists the timeline, oldest first. Staff also see who acted. */
export function timelineList(timeline, { forStaff }) {
  return h(
    "ol",
    { className: "chronologie" },
    timeline.entries.map((entry) =>
      h(
        "li",
        {},
        h("time", { datetime: entry.at }, formatInstant(entry.at)),
        h("span", { className: "chronologie-libelle" }, entry.label),
        entry.detail ? h("span", { className: "aide" }, entry.detail) : null,
        forStaff && entry.actor_id
          ? h("span", { className: "aide" }, actorLabel(entry))
          : null,
      ),
    ),
  );
}
