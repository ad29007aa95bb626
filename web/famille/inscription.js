// The household's periscolaire registration of a school year: PAI flags of the children from
// the profile, pick-up persons, phone and consents, saved as a draft (`PUT`) and submitted;
// once submitted, only the withdrawal of a consent remains possible.

import { fetchProfile, post, put } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatBirthDate, formatInstant } from "../js/format.js";
import { linkNeighbourYears, pageSchoolYear } from "../js/school-year.js";
import { startPage } from "../js/shell.js";
import { REGISTRATION_STATUS, fetchRegistration, fullName } from "./commun.js";

const MAX_PERSONS = 10;
const CONSENTS = {
  rules: "l'acceptation du règlement",
  photo: "l'autorisation des photos",
  quotient_retrieval: "l'autorisation d'obtenir votre quotient familial",
};
const EDITABLE = new Set(["draft", "returned"]);

const form = document.getElementById("inscription");
const state = document.getElementById("etat");
const result = document.getElementById("resultat");
const personsList = document.getElementById("liste-personnes");
const withdrawals = document.getElementById("retraits");

let year = "";
let sending = false;
let nextRow = 0;

/** Latest response of the registration to a consent, as a boolean (false when none). */
function consentGiven(registration, kind) {
  const responses = (registration?.consents ?? []).filter((consent) => consent.kind === kind);
  responses.sort((a, b) => new Date(a.at) - new Date(b.at));
  return responses.length > 0 && responses[responses.length - 1].given;
}

function renderState(registration) {
  if (!registration) {
    replaceChildren(
      state,
      h("p", {}, `Votre foyer n'a pas encore d'inscription pour l'année ${year}.`),
    );
    return;
  }
  const [label, tagClass] = REGISTRATION_STATUS[registration.status] ?? [registration.status, ""];
  const last = registration.history[registration.history.length - 1];
  replaceChildren(
    state,
    h(
      "p",
      {},
      h("strong", {}, "État de l'inscription : "),
      h("span", { className: `etiquette ${tagClass}` }, label),
    ),
    last ? h("p", {}, `Dernier changement le ${formatInstant(last.at)}.`) : null,
    registration.status === "returned"
      ? h(
          "div",
          { className: "encart encart-erreur" },
          h("p", {}, h("strong", {}, "Le service vous demande de corriger l'inscription.")),
          h("p", {}, `Motif : ${registration.return_reason}`),
        )
      : null,
  );
}

function renderChildren(children) {
  const fieldset = document.getElementById("enfants");
  const legend = h("legend", {}, "Enfants inscrits");
  if (children.length === 0) {
    replaceChildren(
      fieldset,
      legend,
      h("p", {}, "Votre profil ne compte aucun enfant : complétez-le avant d'inscrire."),
    );
    return;
  }
  const rows = children.map((child) => {
    const id = `pai-${child.child_id}`;
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, fullName(child)),
      h("td", {}, formatBirthDate(child.birth_date)),
      h("td", {}, child.school_id || "—"),
      h("td", {}, child.class_name || "—"),
      h(
        "td",
        {},
        h(
          "div",
          { className: "choix" },
          h("input", {
            type: "checkbox",
            id,
            name: "pai",
            value: child.child_id,
            checked: child.pai,
          }),
          h(
            "label",
            { for: id },
            "PAI",
            h("span", { className: "visuellement-masque" }, ` pour ${fullName(child)}`),
          ),
        ),
      ),
    );
  });
  replaceChildren(
    fieldset,
    legend,
    h(
      "p",
      { className: "aide", id: "pai-aide" },
      "Cochez PAI pour un enfant qui a un projet d'accueil individualisé (allergie, maladie " +
        "chronique) : le service demandera le document à l'école.",
    ),
    h(
      "div",
      { className: "tableau" },
      h(
        "table",
        {},
        h("caption", { className: "visuellement-masque" }, "Enfants de votre profil"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Enfant", "Naissance", "École", "Classe", "Accueil"].map((label) =>
              h("th", { scope: "col" }, label),
            ),
          ),
        ),
        h("tbody", {}, rows),
      ),
    ),
  );
}

function textField(index, name, label, value, attributes = {}) {
  const id = `personne-${index}-${name}`;
  return h(
    "div",
    { className: "champ", "data-api-field": `authorized_persons.${index}.${name}` },
    h("label", { for: id }, label),
    h("input", { type: "text", id, name, value: value ?? "", ...attributes }),
  );
}

/** Renumbers the pick-up person rows, so that their fields match the API's indexes. */
function renumberPersons() {
  [...personsList.children].forEach((row, index) => {
    row.querySelector("h3").textContent = `Personne ${index + 1}`;
    for (const container of row.querySelectorAll("[data-api-field]")) {
      const name = container.dataset.apiField.split(".").pop();
      container.dataset.apiField = `authorized_persons.${index}.${name}`;
    }
  });
  document.getElementById("ajouter-personne").hidden = personsList.children.length >= MAX_PERSONS;
}

function addPersonRow(person = {}) {
  nextRow += 1;
  const index = personsList.children.length;
  const row = h(
    "div",
    { className: "groupe-champs", dataset: { ligne: String(nextRow) } },
    h("h3", {}, `Personne ${index + 1}`),
    textField(nextRow, "first_name", "Prénom", person.first_name, { autocomplete: "off" }),
    textField(nextRow, "last_name", "Nom", person.last_name, { autocomplete: "off" }),
    textField(nextRow, "phone", "Téléphone", person.phone, { type: "tel" }),
    textField(nextRow, "relationship", "Lien avec les enfants", person.relationship, {
      placeholder: "par exemple grand-mère",
    }),
    h(
      "button",
      {
        type: "button",
        className: "bouton-secondaire",
        onClick: () => {
          row.remove();
          renumberPersons();
          document.getElementById("ajouter-personne").focus();
        },
      },
      "Retirer cette personne",
    ),
  );
  personsList.append(row);
  renumberPersons();
  return row;
}

function draftBody() {
  const pai = {};
  for (const box of form.querySelectorAll('input[name="pai"]')) {
    pai[box.value] = box.checked;
  }
  const authorizedPersons = [...personsList.children].map((row) => {
    const value = (name) => row.querySelector(`input[name="${name}"]`).value.trim();
    return {
      first_name: value("first_name"),
      last_name: value("last_name"),
      phone: value("phone"),
      relationship: value("relationship"),
    };
  });
  return {
    pai,
    authorized_persons: authorizedPersons,
    consents: Object.fromEntries(
      Object.keys(CONSENTS).map((kind) => [kind, form.elements[kind].checked]),
    ),
    contact_phone: form.elements.contact_phone.value.trim(),
  };
}

function fillForm(registration, profile) {
  const children =
    registration?.children ??
    (profile.household?.persons ?? [])
      .filter((person) => person.role === "child")
      .map((person) => ({
        child_id: person.person_id,
        first_name: person.first_name,
        last_name: person.last_name,
        birth_date: person.birth_date,
        school_id: person.school ?? "",
        class_name: person.school_class ?? "",
        pai: false,
      }));
  renderChildren(children);
  form.elements.contact_phone.value = registration?.guardians[0]?.phone ?? "";
  replaceChildren(personsList);
  for (const person of registration?.authorized_persons ?? []) {
    addPersonRow(person);
  }
  renumberPersons();
  for (const kind of Object.keys(CONSENTS)) {
    form.elements[kind].checked = consentGiven(registration, kind);
  }
}

function renderWithdrawals(registration) {
  const given = ["photo", "quotient_retrieval"].filter((kind) => consentGiven(registration, kind));
  withdrawals.hidden = given.length === 0;
  replaceChildren(
    document.getElementById("liste-retraits"),
    h(
      "div",
      { className: "actions", "data-api-field": "kind" },
      given.map((kind) =>
        h(
          "button",
          { type: "submit", value: kind, className: "bouton-danger" },
          `Retirer ${CONSENTS[kind]}`,
        ),
      ),
    ),
  );
}

function show(registration, profile) {
  renderState(registration);
  const editable = !registration || EDITABLE.has(registration.status);
  form.hidden = !editable;
  if (editable) {
    fillForm(registration, profile);
    withdrawals.hidden = true;
  } else {
    renderWithdrawals(registration);
  }
}

async function save(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  const submitting = event.submitter?.value !== "brouillon";
  clearErrors(form);
  replaceChildren(result);
  const intro = submitting
    ? "L'inscription n'a pas été envoyée."
    : "Le brouillon n'a pas été enregistré.";
  sending = true;
  for (const button of form.querySelectorAll('button[type="submit"]')) {
    button.disabled = true;
  }
  try {
    const path = `/famille/registrations/${year}`;
    let registration = await put(path, draftBody());
    if (submitting) {
      registration = await post(`${path}/submit`, undefined);
    }
    const profile = await fetchProfile();
    show(registration, profile);
    replaceChildren(
      result,
      h(
        "p",
        {},
        submitting
          ? "Inscription envoyée au service périscolaire. Vous recevrez sa réponse par courriel."
          : "Brouillon enregistré. Envoyez l'inscription quand elle est complète.",
      ),
    );
    result.focus();
  } catch (error) {
    showError(form, error, intro);
  } finally {
    sending = false;
    for (const button of form.querySelectorAll('button[type="submit"]')) {
      button.disabled = false;
    }
  }
}

async function withdraw(event) {
  event.preventDefault();
  const kind = event.submitter?.value;
  if (sending || !kind) {
    return;
  }
  clearErrors(withdrawals);
  sending = true;
  try {
    const registration = await post(`/famille/registrations/${year}/consents`, {
      kind,
      given: false,
    });
    show(registration, await fetchProfile());
    replaceChildren(result, h("p", {}, `Vous avez retiré ${CONSENTS[kind]}.`));
    result.focus();
  } catch (error) {
    showError(withdrawals, error, "Le retrait n'a pas été enregistré.");
  } finally {
    sending = false;
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
  form.addEventListener("submit", save);
  withdrawals.addEventListener("submit", withdraw);
  document.getElementById("ajouter-personne").addEventListener("click", () => {
    addPersonRow().querySelector("input").focus();
  });
  try {
    const [profile, registration] = await Promise.all([fetchProfile(), fetchRegistration(year)]);
    show(registration, profile);
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
