// The household's quotient familial of a school year: automatic retrieval with the family's
// consent (CAF, MSA or impôts), or the paper path, where the family uploads its tax notice
// straight to storage and the API checks it.

import { get, post } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatBirthDate, formatInstant } from "../js/format.js";
import { linkNeighbourYears, pageSchoolYear } from "../js/school-year.js";
import { startPage } from "../js/shell.js";
import { checkPdfFile, progressBar, uploadFile } from "../js/upload.js";
import { fetchRegistration } from "./commun.js";

// The API checks the notice again after the upload: 10 MB at most.
const NOTICE_MAX_BYTES = 10_000_000;
const SOURCES = {
  caf: "la CAF",
  msa: "la MSA",
  dgfip: "les impôts",
  paper: "un agent, d'après vos documents",
};

const state = document.getElementById("etat");
const result = document.getElementById("resultat");
const automatic = document.getElementById("automatique");
const consentForm = document.getElementById("accord");
const retrievalForm = document.getElementById("recuperation");
const paper = document.getElementById("papier");
const uploadForm = document.getElementById("depot");
const lateConsent = document.getElementById("accord-tardif");

let year = "";
let sending = false;

function consentGiven(registration) {
  const responses = registration.consents.filter((c) => c.kind === "quotient_retrieval");
  responses.sort((a, b) => new Date(a.at) - new Date(b.at));
  return responses.length > 0 && responses[responses.length - 1].given;
}

function requestText(request) {
  switch (request?.status) {
    case "paper_required":
      return request.message ?? "Déposez votre dernier avis d'imposition.";
    case "notice_requested":
      return "Le dépôt de votre avis d'imposition a commencé mais n'est pas terminé.";
    case "notice_uploaded":
      return (
        `Avis d'imposition reçu le ${formatInstant(request.updated_at)} : un agent va saisir ` +
        "votre quotient familial."
      );
    case "notice_rejected":
      return `Votre avis d'imposition a été refusé : ${request.message ?? "fichier illisible"}`;
    default:
      return null;
  }
}

function renderState(quotient) {
  const record = quotient.quotient;
  if (record) {
    replaceChildren(
      state,
      h(
        "div",
        { className: "encart encart-succes" },
        h(
          "p",
          {},
          h("strong", {}, `Quotient familial : ${record.quotient_familial} € par mois`),
          `, tranche de tarif ${record.bracket}.`,
        ),
        h(
          "p",
          {},
          `Obtenu le ${formatBirthDate(record.obtained_at)} auprès de ` +
            `${SOURCES[record.source] ?? record.source}.`,
        ),
      ),
    );
    return;
  }
  const text = requestText(quotient.request);
  const rejected = quotient.request?.status === "notice_rejected";
  replaceChildren(
    state,
    h("p", {}, `Aucun quotient familial n'est enregistré pour l'année ${year}.`),
    text
      ? h("div", { className: `encart ${rejected ? "encart-erreur" : ""}` }, h("p", {}, text))
      : null,
  );
}

function show(registration, quotient) {
  renderState(quotient);
  const obtained = Boolean(quotient.quotient);
  automatic.hidden = obtained;
  paper.hidden = obtained;
  const consented = consentGiven(registration);
  // The API records a new consent only while the registration is a draft or returned.
  const editable = registration.status === "draft" || registration.status === "returned";
  consentForm.hidden = consented || !editable;
  retrievalForm.hidden = !consented;
  lateConsent.hidden = consented || editable;
}

async function reload() {
  const [registration, quotient] = await Promise.all([
    fetchRegistration(year),
    get(`/famille/quotient/${year}`),
  ]);
  show(registration, quotient);
}

async function giveConsent(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  clearErrors(consentForm);
  const intro = "L'accord n'a pas été enregistré.";
  if (!consentForm.elements.given.checked) {
    showError(consentForm, { code: "quotient_consent_missing", field: "given" }, intro);
    return;
  }
  sending = true;
  try {
    await post(`/famille/registrations/${year}/consents`, {
      kind: "quotient_retrieval",
      given: true,
    });
    await reload();
    replaceChildren(result, h("p", {}, "Accord enregistré. Vous pouvez obtenir votre quotient."));
    retrievalForm.querySelector("input").focus();
  } catch (error) {
    showError(consentForm, error, intro);
  } finally {
    sending = false;
  }
}

function retrievalBody() {
  const value = (name) => retrievalForm.elements[name].value.trim();
  const body = {};
  const identityTyped = ["nom_naissance", "prenoms", "annee_naissance"].some((name) => value(name));
  if (identityTyped) {
    body.allocataire = {
      nom_naissance: value("nom_naissance"),
      prenoms: value("prenoms").split(/\s+/).filter(Boolean),
      sexe: retrievalForm.querySelector('input[name="sexe"]:checked')?.value ?? "",
      annee_naissance: Number(value("annee_naissance")) || value("annee_naissance"),
      code_pays_lieu_naissance: value("code_pays_lieu_naissance"),
    };
  }
  if (value("numero_fiscal")) {
    body.numero_fiscal = value("numero_fiscal").replace(/\s+/g, "");
  }
  return body;
}

async function retrieve(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  clearErrors(retrievalForm);
  replaceChildren(result);
  const intro = "Le quotient familial n'a pas été obtenu.";
  const body = retrievalBody();
  if (!body.allocataire && !body.numero_fiscal) {
    showError(retrievalForm, { code: "quotient_input_invalid", field: "allocataire" }, intro);
    return;
  }
  sending = true;
  const button = document.getElementById("obtenir");
  button.disabled = true;
  button.textContent = "Interrogation en cours…";
  try {
    const quotient = await post(`/famille/quotient/${year}/retrieval`, body);
    await reload();
    const text = quotient.quotient
      ? `Quotient familial obtenu : ${quotient.quotient.quotient_familial} € par mois.`
      : "Le quotient familial n'a pas pu être obtenu automatiquement.";
    replaceChildren(result, h("p", {}, text));
    result.focus();
  } catch (error) {
    showError(retrievalForm, error, intro);
  } finally {
    sending = false;
    button.disabled = false;
    button.textContent = "Obtenir mon quotient";
  }
}

async function uploadNotice(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  clearErrors(uploadForm);
  replaceChildren(result);
  const intro = "L'avis d'imposition n'a pas été déposé.";
  const file = uploadForm.elements.file.files[0];
  const invalid = checkPdfFile(file, "file", NOTICE_MAX_BYTES);
  if (invalid) {
    showError(uploadForm, invalid, intro);
    return;
  }
  sending = true;
  const button = document.getElementById("deposer");
  button.disabled = true;
  const progress = progressBar("progression-avis-barre", `Envoi de ${file.name}`);
  replaceChildren(document.getElementById("progression-avis"), progress.element);
  try {
    const target = await post(`/famille/quotient/${year}/tax-notice`, undefined);
    await uploadFile(target, file, progress.update);
    const checked = await post(`/famille/quotient/${year}/tax-notice/check`, { key: target.key });
    await reload();
    if (checked.request?.status === "notice_rejected") {
      // The API's message gives the reason of the rejection, in French.
      const rejection = {
        code: "notice_rejected",
        field: "file",
        message: checked.request.message,
      };
      showError(uploadForm, rejection, intro);
      return;
    }
    replaceChildren(result, h("p", {}, "Avis d'imposition déposé et vérifié."));
    result.focus();
    uploadForm.reset();
  } catch (error) {
    showError(uploadForm, error, intro);
  } finally {
    sending = false;
    button.disabled = false;
    replaceChildren(document.getElementById("progression-avis"));
  }
}

async function main() {
  const session = await startPage({ audience: "household" });
  if (!session) {
    return;
  }
  year = pageSchoolYear({ forEnrollment: true });
  document.getElementById("annee").textContent = `Année scolaire ${year}`;
  linkNeighbourYears(year);
  consentForm.addEventListener("submit", giveConsent);
  retrievalForm.addEventListener("submit", retrieve);
  uploadForm.addEventListener("submit", uploadNotice);
  try {
    const registration = await fetchRegistration(year);
    if (!registration) {
      replaceChildren(
        state,
        h(
          "p",
          {},
          `Commencez par l'inscription périscolaire de l'année ${year} : `,
          h("a", { href: `inscription.html?annee=${year}` }, "inscrire mes enfants"),
          ".",
        ),
      );
      return;
    }
    show(registration, await get(`/famille/quotient/${year}`));
  } catch (error) {
    replaceChildren(
      state,
      h("div", { className: "encart encart-erreur", role: "alert" }, h("p", {}, messageFor(error))),
    );
  } finally {
    state.removeAttribute("aria-busy");
  }
}

main();
