// Enrollment of a household member: a course of the catalogue and a person of the profile,
// then the annual fee quote (`POST .../quote`), then the request (`POST .../enrollments`).
// The request takes a free place, or a rank on the waiting list when the course is full.

import { fetchProfile, post } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, showError } from "../js/errors.js";
import { formatBirthDate, plural } from "../js/format.js";
import { linkNeighbourYears, pageSchoolYear } from "../js/school-year.js";
import { startPage } from "../js/shell.js";
import { SCHOOL_LABELS, courseTitle, loadCatalogue, personNames } from "./commun.js";
import { quoteTable } from "./devis.js";

const form = document.getElementById("inscription");
const courseSelect = document.getElementById("cours");
const personsFieldset = document.getElementById("personnes");
const quoteButton = document.getElementById("voir-tarif");
const quoteSection = document.getElementById("devis");
const confirmButton = document.getElementById("confirmer");
const result = document.getElementById("resultat");

let year = "";
let catalogue = null;
let names = new Map();
// The choice the quote on display was computed for; confirming sends exactly this choice.
let quotedChoice = null;
let sending = false;

function availabilityText(course) {
  if (course.places_left > 0) {
    return plural(course.places_left, "place restante", "places restantes");
  }
  if (course.waiting_list_length > 0) {
    return `complet, ${plural(course.waiting_list_length, "demande")} en liste d'attente`;
  }
  return "complet";
}

function renderCourses(selected) {
  const groups = catalogue.schools.map((entry) =>
    h(
      "optgroup",
      { label: SCHOOL_LABELS[entry.school] ?? entry.school },
      entry.courses.map((course) =>
        h(
          "option",
          { value: course.course_id, selected: course.course_id === selected },
          `${courseTitle(course)} · ${course.slot.label} · ${availabilityText(course)}`,
        ),
      ),
    ),
  );
  replaceChildren(courseSelect, h("option", { value: "" }, "Choisissez un cours"), groups);
}

function renderPersons(household) {
  const legend = h("legend", {}, "Personne à inscrire");
  if (household.persons.length === 0) {
    replaceChildren(personsFieldset, legend, h("p", {}, "Votre foyer ne compte aucun membre."));
    return;
  }
  const choices = household.persons.map((person) => {
    const id = `personne-${person.person_id}`;
    return h(
      "div",
      { className: "choix" },
      h("input", {
        type: "radio",
        name: "person_id",
        id,
        value: person.person_id,
        "aria-describedby": `${id}-naissance`,
      }),
      h(
        "div",
        {},
        h("label", { for: id }, `${person.first_name} ${person.last_name}`),
        h(
          "span",
          { className: "aide", id: `${id}-naissance` },
          `Naissance : ${formatBirthDate(person.birth_date)}`,
        ),
      ),
    );
  });
  replaceChildren(personsFieldset, legend, choices);
}

function currentChoice() {
  const person = form.querySelector('input[name="person_id"]:checked');
  return { course_id: courseSelect.value, person_id: person?.value ?? "" };
}

function hideQuote() {
  quotedChoice = null;
  quoteSection.hidden = true;
}

function placeText(course, personName) {
  if (course.places_left > 0) {
    return (
      `Une place est libre : elle sera réservée pour ${personName} dès la confirmation, ` +
      "en attendant la validation du secrétariat."
    );
  }
  const ahead = course.waiting_list_length;
  return (
    "Ce cours est complet : la demande prendra rang sur la liste d'attente" +
    (ahead > 0 ? `, après ${plural(ahead, "demande")}.` : ", en première position.")
  );
}

async function showQuote(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  clearErrors(form);
  replaceChildren(result);
  hideQuote();
  const intro = "Le tarif n'a pas pu être calculé.";
  const choice = currentChoice();
  if (!choice.course_id) {
    showError(form, { code: "course_missing", field: "course_id" }, intro);
    return;
  }
  if (!choice.person_id) {
    showError(form, { code: "person_missing", field: "person_id" }, intro);
    return;
  }

  sending = true;
  quoteButton.disabled = true;
  try {
    const quote = await post(`/conservatoire/${year}/quote`, { planned: [choice] });
    const { course } = catalogue.courses.get(choice.course_id);
    const personName = names.get(choice.person_id) ?? choice.person_id;
    replaceChildren(
      document.getElementById("devis-contenu"),
      h("p", {}, h("strong", {}, `${courseTitle(course)} pour ${personName}`)),
      h("p", {}, placeText(course, personName)),
      quoteTable(quote, names, `Tarif annuel de votre foyer, année ${year}, avec cette demande`),
    );
    quotedChoice = choice;
    quoteSection.hidden = false;
    document.getElementById("devis-titre").focus();
  } catch (error) {
    showError(form, error, intro);
  } finally {
    sending = false;
    quoteButton.disabled = false;
  }
}

function receiptText(enrollment, personName, course) {
  const title = courseTitle(course);
  if (enrollment.status === "waiting") {
    return (
      `Le cours ${title} est complet : la demande pour ${personName} est sur la liste ` +
      `d'attente, au rang ${enrollment.rank}. Un courriel vous préviendra si une place se libère.`
    );
  }
  return (
    `Une place du cours ${title} est réservée pour ${personName}. ` +
    "Le secrétariat confirmera l'inscription."
  );
}

async function confirmEnrollment() {
  if (sending || !quotedChoice) {
    return;
  }
  clearErrors(form);
  const choice = quotedChoice;
  sending = true;
  confirmButton.disabled = true;
  confirmButton.textContent = "Envoi de la demande…";
  try {
    const receipt = await post(`/conservatoire/${year}/enrollments`, choice);
    const { enrollment, quote } = receipt;
    const { course } = catalogue.courses.get(choice.course_id);
    const personName = names.get(choice.person_id) ?? choice.person_id;
    hideQuote();
    form.reset();
    replaceChildren(
      result,
      h("h2", {}, `Demande d'inscription n° ${enrollment.enrollment_id} enregistrée`),
      h("p", {}, receiptText(enrollment, personName, course)),
      quoteTable(quote, names, `Tarif annuel de votre foyer, année ${year}`),
      h("p", {}, h("a", { href: `inscriptions.html?annee=${year}` }, "Voir mes inscriptions")),
    );
    result.focus();
    catalogue = await loadCatalogue(year);
    renderCourses("");
  } catch (error) {
    showError(form, error, "La demande d'inscription n'a pas abouti.");
  } finally {
    sending = false;
    confirmButton.disabled = false;
    confirmButton.textContent = "Confirmer la demande d'inscription";
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
  form.addEventListener("submit", showQuote);
  form.addEventListener("change", hideQuote);
  confirmButton.addEventListener("click", confirmEnrollment);

  const intro = "Le formulaire n'a pas pu être chargé.";
  try {
    const [profile, loaded] = await Promise.all([fetchProfile(), loadCatalogue(year)]);
    catalogue = loaded;
    names = personNames(profile);
    renderCourses(queryParameter("cours") ?? "");
    renderPersons(profile.household ?? { persons: [] });
    quoteButton.disabled = false;
  } catch (error) {
    replaceChildren(courseSelect, h("option", { value: "" }, "Catalogue indisponible"));
    showError(form, error, intro);
  }
}

main();
