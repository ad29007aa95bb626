// Shared parts of the urbanism pages: French names of request types, statuses, documents and
// outcomes, the API's field issues as errors the forms can show, and document downloads.

import { ApiError, get } from "../js/api.js";

export const TYPE_LABELS = {
  CUa: "Certificat d'urbanisme d'information (CUa)",
  CUb: "Certificat d'urbanisme opérationnel (CUb)",
  DIA: "Déclaration d'intention d'aliéner (DIA)",
};

export const STATUS_LABELS = {
  draft: ["Brouillon", ""],
  submitted: ["Déposée", "etiquette-info"],
  awaiting_documents: ["Pièces demandées", "etiquette-erreur"],
  under_instruction: ["En instruction", "etiquette-info"],
  awaiting_visit: ["Visite demandée", "etiquette-erreur"],
  decision_drafted: ["Décision en préparation", "etiquette-info"],
  awaiting_signature: ["En attente de signature", "etiquette-info"],
  signed: ["Décision signée", "etiquette-succes"],
  notified: ["Décision notifiée", "etiquette-succes"],
  tacit: ["Décision tacite", "etiquette-succes"],
  closed: ["Close", "etiquette-succes"],
};

// The applicant does not see the deliberation between the service and the signatory: the
// API leaves it out of their timeline, and the pages show these statuses as instruction.
const INTERNAL_STATUSES = new Set(["decision_drafted", "awaiting_signature"]);

export const DOCUMENT_LABELS = {
  accuse_enregistrement: "Accusé d'enregistrement électronique",
  accuse_reception: "Accusé de réception",
  projet_decision: "Projet de décision",
  decision: "Décision signée",
  attestation_silence: "Attestation de décision tacite",
};

export const OUTCOME_LABELS = {
  certificat: "Certificat d'urbanisme délivré",
  certificat_tacite: "Certificat d'urbanisme tacite",
  renonciation: "Renonciation à la préemption",
  renonciation_tacite: "Renonciation tacite à la préemption",
  preemption: "Préemption du bien",
};

export const PIECE_STATUS = {
  awaited: "Vérification en cours…",
  accepted: "Acceptée",
  rejected: "Refusée",
};

/** Label and tag class of a status; `forApplicant` shows the internal statuses as instruction. */
export function statusLabel(status, forApplicant = false) {
  const shown = forApplicant && INTERNAL_STATUSES.has(status) ? "under_instruction" : status;
  return STATUS_LABELS[shown] ?? [shown, ""];
}

// Tags of the API's discriminated unions, which pydantic puts in error locations.
const UNION_TAGS = new Set(["CUa", "CUb", "DIA", "person", "company"]);

/** "owner.address.postcode" for "request.DIA.owner.person.address.postcode". */
function requestPath(field) {
  return field
    .split(".")
    .filter((part, index) => !(index === 0 && part === "request") && !UNION_TAGS.has(part))
    .join(".");
}

/**
 * Returns the field errors an API error carries, as `{code, field, message}` for showErrors:
 * the issues of an invalid or incomplete request, or the validation errors of the request
 * body. Returns null for any other error.
 */
export function fieldIssues(error) {
  if (Array.isArray(error.details?.issues)) {
    return error.details.issues.map((issue) => ({
      code: issue.code,
      field: issue.path,
      message: issue.message,
    }));
  }
  if (error.code === "invalid_request" && Array.isArray(error.details?.errors)) {
    return error.details.errors.map((fault) => ({
      code: fault.type,
      field: requestPath(fault.field),
      message: fault.message,
    }));
  }
  return null;
}

/**
 * Fetches fresh download addresses (`GET .../documents`, valid five minutes) and sends the
 * browser to the document of `kind`, which storage serves as an attachment.
 */
export async function downloadDocument(dossierId, kind) {
  const { documents } = await get(`/urbanisme/dossiers/${encodeURIComponent(dossierId)}/documents`);
  const document = documents.find((item) => item.kind === kind);
  if (!document) {
    throw new ApiError(404, { code: "not_found", message: `no document ${kind}` });
  }
  window.location.assign(document.url);
}

/**
 * Polls the dossier until `done(dossier)` is true, every 500 ms, for at most `timeoutMs`.
 * Resolves to the last dossier read, whether `done` became true or not.
 */
export async function waitForDossier(dossierId, done, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let dossier = await get(`/urbanisme/dossiers/${encodeURIComponent(dossierId)}`);
  while (!done(dossier) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    dossier = await get(`/urbanisme/dossiers/${encodeURIComponent(dossierId)}`);
  }
  return dossier;
}
