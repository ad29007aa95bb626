// Filing of a request: the choice of its type creates a draft, then the cerfa form is saved
// as a draft (`PUT`), pieces are uploaded, and the request is submitted, which returns the
// accusé d'enregistrement électronique at once.

import { get, post, put } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError, showErrors } from "../js/errors.js";
import { formatDay, formatInstant, formatTime } from "../js/format.js";
import { startPage } from "../js/shell.js";
import { TYPE_LABELS, fieldIssues } from "./commun.js";
import { buildSections, fillForm, readForm, updateConditionalGroups } from "./formulaire.js";
import { pieceUploader } from "./pieces.js";

const notice = document.getElementById("avis");
const result = document.getElementById("resultat");
const typeForm = document.getElementById("choix-type");
const form = document.getElementById("demande");

let dossier = null;
let sending = false;
// One Idempotency-Key per creation attempt, so that a double click creates one draft.
let creationKey = null;

function dossierUrl(page, dossierId) {
  const url = new URL(page, window.location.href);
  url.searchParams.set("dossier", dossierId);
  return url;
}

async function createDraft(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  clearErrors(typeForm);
  const intro = "La demande n'a pas été créée.";
  const type = typeForm.querySelector('input[name="type"]:checked')?.value;
  if (!type) {
    showError(typeForm, { code: "literal_error", field: "request.type" }, intro);
    return;
  }
  creationKey ??= crypto.randomUUID();
  sending = true;
  try {
    const created = await post(
      "/urbanisme/dossiers",
      { request: { type } },
      { headers: { "Idempotency-Key": creationKey } },
    );
    window.location.assign(dossierUrl("demande.html", created.dossier_id));
  } catch (error) {
    sending = false;
    showError(typeForm, error, intro);
  }
}

function showIssues(error, intro) {
  const issues = fieldIssues(error);
  if (issues) {
    showErrors(form, issues, intro);
  } else {
    showError(form, error, intro);
  }
}

async function saveDraft() {
  const { request, errors } = readForm(form, dossier.request_type);
  if (errors.length > 0) {
    return { errors };
  }
  dossier = await put(`/urbanisme/dossiers/${dossier.dossier_id}`, {
    request,
    version: dossier.version,
  });
  return { errors: [] };
}

function submitButtons() {
  return document.querySelectorAll('button[form="demande"]');
}

function showAccuse(accuse) {
  form.hidden = true;
  document.getElementById("actions-demande").hidden = true;
  document.getElementById("pieces").hidden = true;
  replaceChildren(
    result,
    h("h2", {}, "Demande déposée"),
    h(
      "p",
      {},
      `Votre demande est enregistrée sous le numéro ${accuse.registration_number}, ` +
        `le ${formatInstant(accuse.received_at)}.`,
    ),
    h(
      "p",
      {},
      "L'accusé de réception vous sera envoyé au plus tard le " +
        `${formatDay(accuse.accuse_reception_due)}.`,
    ),
    accuse.last_day
      ? h("p", {}, `Le service doit répondre au plus tard le ${formatDay(accuse.last_day)}.`)
      : null,
    h(
      "p",
      {},
      accuse.document_url
        ? h("a", { href: accuse.document_url }, "Télécharger l'accusé d'enregistrement (PDF)")
        : null,
    ),
    h(
      "p",
      {},
      h("a", { href: dossierUrl("dossier.html", accuse.dossier_id).href }, "Suivre la demande"),
    ),
  );
  result.focus();
}

async function save(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  const submitting = event.submitter?.value === "deposer";
  clearErrors(form);
  replaceChildren(result);
  const intro = submitting
    ? "La demande n'a pas été déposée."
    : "Le brouillon n'a pas été enregistré.";
  sending = true;
  for (const button of submitButtons()) {
    button.disabled = true;
  }
  try {
    const { errors } = await saveDraft();
    if (errors.length > 0) {
      showErrors(form, errors, intro);
      return;
    }
    if (submitting) {
      showAccuse(await post(`/urbanisme/dossiers/${dossier.dossier_id}/submit`, undefined));
      return;
    }
    fillForm(form, dossier.request_type, dossier.request);
    replaceChildren(
      result,
      h("p", {}, `Brouillon enregistré à ${formatTime(new Date().toISOString())}.`),
    );
  } catch (error) {
    showIssues(error, intro);
  } finally {
    sending = false;
    for (const button of submitButtons()) {
      button.disabled = false;
    }
  }
}

function renderPieces() {
  const pieces = new Map(dossier.pieces.map((piece) => [piece.code, piece]));
  replaceChildren(
    document.getElementById("liste-pieces"),
    dossier.catalogue.map((spec) =>
      pieceUploader(dossier.dossier_id, spec, pieces.get(spec.code), (checked) => {
        dossier = { ...dossier, version: checked.version, pieces: checked.pieces };
      }),
    ),
  );
  document.getElementById("pieces").hidden = false;
}

function showDraft() {
  const label = TYPE_LABELS[dossier.request_type] ?? dossier.request_type;
  document.getElementById("titre").textContent = `Demande : ${label}`;
  document.title = `${label} · Urbanisme · Démarches en ligne · Grand Verdun`;
  document.getElementById("sous-titre").textContent =
    `Brouillon créé le ${formatInstant(dossier.created_at)}`;
  replaceChildren(document.getElementById("sections"), buildSections(dossier.request_type));
  fillForm(form, dossier.request_type, dossier.request);
  form.addEventListener("change", () => updateConditionalGroups(form));
  form.addEventListener("submit", save);
  form.hidden = false;
  document.getElementById("actions-demande").hidden = false;
  renderPieces();
}

async function main() {
  const session = await startPage({ audience: ["household", "notary"] });
  if (!session) {
    return;
  }
  const dossierId = queryParameter("dossier");
  try {
    if (!dossierId) {
      // A DIA is filed by a notary's office only: other accounts are not offered it.
      document.getElementById("choix-dia").hidden = !session.officeId;
      typeForm.addEventListener("submit", createDraft);
      typeForm.addEventListener("change", () => {
        creationKey = null;
      });
      typeForm.hidden = false;
      replaceChildren(notice);
      return;
    }
    dossier = await get(`/urbanisme/dossiers/${encodeURIComponent(dossierId)}`);
    if (dossier.status !== "draft") {
      replaceChildren(
        notice,
        h(
          "p",
          {},
          "Cette demande est déjà déposée. ",
          h(
            "a",
            { href: dossierUrl("dossier.html", dossier.dossier_id).href },
            "Suivre la demande",
          ),
        ),
      );
      return;
    }
    replaceChildren(notice);
    showDraft();
  } catch (error) {
    replaceChildren(
      notice,
      h("div", { className: "encart encart-erreur", role: "alert" }, h("p", {}, messageFor(error))),
    );
  } finally {
    notice.removeAttribute("aria-busy");
  }
}

main();
