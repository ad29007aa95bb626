// Agents' list of the periscolaire registrations of a school year by status, with what the
// family declared, and the validation or the return to the family with a reason.

import { get, post } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatBirthDate, plural } from "../js/format.js";
import { linkNeighbourYears, pageSchoolYear } from "../js/school-year.js";
import { startPage } from "../js/shell.js";
import { REGISTRATION_STATUS, fullName } from "./commun.js";

const STATUSES = ["submitted", "returned", "validated", "draft"];
const CONSENT_LABELS = {
  rules: "Règlement accepté",
  photo: "Photos autorisées",
  quotient_retrieval: "Quotient familial obtenu auprès de la CAF, de la MSA ou des impôts",
};
const QUOTIENT_STATUS = {
  obtained: "obtenu",
  paper_required: "avis d'imposition attendu",
  notice_requested: "dépôt de l'avis commencé",
  notice_uploaded: "avis d'imposition déposé, à saisir",
  notice_rejected: "avis d'imposition refusé",
};

const container = document.getElementById("inscriptions");
const result = document.getElementById("resultat");
const dialog = document.getElementById("renvoi");
const returnForm = document.getElementById("form-renvoi");

let year = "";
let status = "submitted";
let returning = null;
let sending = false;

function registrationPath(registration) {
  return `/famille/agent/registrations/${encodeURIComponent(registration.household_id)}/${year}`;
}

function familyName(registration) {
  const names = registration.guardians.map(fullName);
  return names.length > 0 ? names.join(" et ") : registration.household_id;
}

function latestConsents(registration) {
  const latest = new Map();
  for (const consent of [...registration.consents].sort(
    (a, b) => new Date(a.at) - new Date(b.at),
  )) {
    latest.set(consent.kind, consent);
  }
  return Object.entries(CONSENT_LABELS).map(([kind, label]) => {
    const consent = latest.get(kind);
    let answer = "sans réponse";
    if (consent) {
      answer = consent.given ? "oui" : "non";
    }
    return h("li", {}, `${label} : ${answer}`);
  });
}

function childrenTable(registration) {
  return h(
    "div",
    { className: "tableau" },
    h(
      "table",
      {},
      h("caption", {}, `Enfants (${registration.children.length})`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Enfant", "Naissance", "École", "Classe", "PAI"].map((label) =>
            h("th", { scope: "col" }, label),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        registration.children.map((child) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, fullName(child)),
            h("td", {}, formatBirthDate(child.birth_date)),
            h("td", {}, child.school_id || "—"),
            h("td", {}, child.class_name || "—"),
            h("td", {}, child.pai ? h("strong", {}, "Oui") : "Non"),
          ),
        ),
      ),
    ),
  );
}

function decisionForm(registration, headingId) {
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": headingId },
    h("div", { "data-resume-erreur": true, role: "alert" }),
    h(
      "div",
      { className: "actions", "data-api-field": "status" },
      h("button", { type: "submit" }, "Valider l'inscription"),
      h(
        "button",
        {
          type: "button",
          className: "bouton-danger",
          onClick: () => openReturn(registration),
        },
        "Renvoyer à la famille",
      ),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    validate(form, registration);
  });
  return form;
}

function registrationCard(registration) {
  const headingId = `inscription-${registration.household_id}`;
  const [label, tagClass] = REGISTRATION_STATUS[registration.status] ?? [registration.status, ""];
  const quotient = registration.quotient_request;
  const persons = registration.authorized_persons;
  return h(
    "article",
    { className: "reservation" },
    h(
      "h2",
      { id: headingId },
      familyName(registration),
      h("span", { className: `etiquette ${tagClass}` }, label),
    ),
    h(
      "dl",
      { className: "details" },
      h("dt", {}, "Foyer"),
      h("dd", {}, registration.household_id),
      h("dt", {}, "Téléphone"),
      h("dd", {}, registration.guardians[0]?.phone || "—"),
      h("dt", {}, "Courriel"),
      h("dd", {}, registration.guardians[0]?.email || "—"),
      h("dt", {}, "Quotient familial"),
      h("dd", {}, quotient ? (QUOTIENT_STATUS[quotient.status] ?? quotient.status) : "—"),
    ),
    childrenTable(registration),
    h("h3", {}, `Personnes autorisées à venir chercher les enfants (${persons.length})`),
    persons.length > 0
      ? h(
          "ul",
          {},
          persons.map((person) =>
            h("li", {}, `${fullName(person)}, ${person.relationship}, ${person.phone}`),
          ),
        )
      : h("p", {}, "Aucune."),
    h("h3", {}, "Consentements"),
    h("ul", {}, latestConsents(registration)),
    registration.return_reason
      ? h("p", {}, `Motif du renvoi : ${registration.return_reason}`)
      : null,
    registration.status === "submitted" ? decisionForm(registration, headingId) : null,
  );
}

async function loadRegistrations() {
  const { registrations } = await get("/famille/agent/registrations", {
    query: { school_year: year, status },
  });
  replaceChildren(
    container,
    h("p", {}, plural(registrations.length, "inscription", "inscriptions")),
    registrations.map(registrationCard),
  );
}

async function validate(form, registration) {
  if (sending) {
    return;
  }
  clearErrors(form);
  sending = true;
  try {
    await post(`${registrationPath(registration)}/validation`, undefined);
  } catch (error) {
    showError(form, error, "La validation n'a pas abouti.");
    return;
  } finally {
    sending = false;
  }
  replaceChildren(
    result,
    h(
      "p",
      {},
      `L'inscription de ${familyName(registration)} est validée : ses réservations sont ouvertes.`,
    ),
  );
  await loadRegistrations();
  result.focus();
}

function openReturn(registration) {
  returning = registration;
  clearErrors(returnForm);
  returnForm.reset();
  document.getElementById("renvoi-texte").textContent =
    `Inscription de ${familyName(registration)}, année ${year}.`;
  dialog.showModal();
  document.getElementById("motif").focus();
}

async function submitReturn(event) {
  event.preventDefault();
  if (sending || !returning) {
    return;
  }
  clearErrors(returnForm);
  const intro = "L'inscription n'a pas été renvoyée.";
  const reason = returnForm.elements.reason.value.trim();
  if (!reason) {
    showError(returnForm, { code: "registration_incomplete", field: "reason" }, intro);
    return;
  }
  sending = true;
  const registration = returning;
  try {
    await post(`${registrationPath(registration)}/return`, { reason });
  } catch (error) {
    showError(returnForm, error, intro);
    return;
  } finally {
    sending = false;
  }
  dialog.close();
  returning = null;
  replaceChildren(
    result,
    h("p", {}, `L'inscription de ${familyName(registration)} est renvoyée à la famille.`),
  );
  await loadRegistrations();
  result.focus();
}

async function main() {
  const session = await startPage({ audience: "periscolaire_agent" });
  if (!session) {
    return;
  }
  year = pageSchoolYear({ forEnrollment: true });
  const requested = queryParameter("statut");
  status = STATUSES.includes(requested) ? requested : "submitted";
  document.getElementById("annee").textContent = `Année scolaire ${year}`;
  document.getElementById("champ-annee").value = year;
  document.getElementById("statut").value = status;
  linkNeighbourYears(year);
  returnForm.addEventListener("submit", submitReturn);
  document.getElementById("renvoi-annuler").addEventListener("click", () => {
    dialog.close();
    returning = null;
  });
  try {
    await loadRegistrations();
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
