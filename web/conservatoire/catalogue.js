// Catalogue of a school year: the courses of both schools with their places left and the
// length of their waiting list, the enrollment periods, and a link to enroll for households.

import { pageUrl } from "../js/auth.js";
import { h, replaceChildren } from "../js/dom.js";
import { messageFor } from "../js/errors.js";
import { formatBirthDate, formatInstant, formatUntil, plural } from "../js/format.js";
import { linkNeighbourYears, pageSchoolYear } from "../js/school-year.js";
import { canSee, startPage } from "../js/shell.js";
import { SCHOOL_LABELS, courseTitle, loadCatalogue } from "./commun.js";

const container = document.getElementById("catalogue");

/** Sentence on who may enroll now, from the API's `open_to` and the two windows. */
function enrollmentText(enrollment) {
  const { reenrollment, general } = enrollment;
  switch (enrollment.open_to) {
    case "everyone":
      return `Inscriptions ouvertes à tous ${formatUntil(general.closes_at)}.`;
    case "current_pupils":
      return (
        `Réinscription des élèves de l'année en cours ${formatUntil(reenrollment.closes_at)}. ` +
        `Les inscriptions ouvriront à tous le ${formatInstant(general.opens_at)}.`
      );
    default:
      if (new Date() < new Date(reenrollment.opens_at)) {
        return (
          `Les réinscriptions ouvriront le ${formatInstant(reenrollment.opens_at)}, ` +
          `les inscriptions pour tous le ${formatInstant(general.opens_at)}.`
        );
      }
      return "Les inscriptions de cette année sont closes. Contactez le secrétariat de l'école.";
  }
}

function placesCell(course) {
  if (course.places_left > 0) {
    return `${course.places_left} sur ${course.capacity}`;
  }
  return h("span", { className: "etiquette" }, "Complet");
}

function enrollLink(year, course) {
  const url = pageUrl("conservatoire/inscription.html");
  url.searchParams.set("annee", year);
  url.searchParams.set("cours", course.course_id);
  return h(
    "a",
    { href: url.href },
    "S'inscrire",
    h("span", { className: "visuellement-masque" }, ` : ${courseTitle(course)}`),
  );
}

function schoolSection(year, entry, mayEnroll) {
  const label = SCHOOL_LABELS[entry.school] ?? entry.school;
  const headers = ["Cours", "Horaire", "Lieu", "Enseignant", "Âges", "Places restantes"];
  headers.push("Liste d'attente");
  if (mayEnroll) {
    headers.push(h("span", { className: "visuellement-masque" }, "Inscription"));
  }
  const rows = entry.courses.map((course) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, courseTitle(course)),
      h("td", {}, course.slot.label),
      h("td", {}, course.place),
      h("td", {}, course.teacher.name),
      h("td", {}, course.ages.label),
      h("td", { className: "nombre" }, placesCell(course)),
      h(
        "td",
        { className: "nombre" },
        course.waiting_list_length > 0 ? plural(course.waiting_list_length, "demande") : "—",
      ),
      mayEnroll ? h("td", {}, enrollLink(year, course)) : null,
    ),
  );
  return [
    h("h2", {}, label),
    h("p", {}, enrollmentText(entry.enrollment)),
    h(
      "div",
      { className: "tableau" },
      h(
        "table",
        {},
        h("caption", {}, `${label} : cours de l'année ${year}`),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            headers.map((header) => h("th", { scope: "col" }, header)),
          ),
        ),
        h("tbody", {}, rows),
      ),
    ),
  ];
}

async function main() {
  const session = await startPage({ signIn: false });
  if (session === undefined) {
    return;
  }
  const year = pageSchoolYear({ forEnrollment: true });
  document.getElementById("annee").textContent = `Année scolaire ${year}`;
  document.title = `Catalogue ${year} · Conservatoire · Démarches en ligne · Grand Verdun`;
  linkNeighbourYears(year);
  try {
    const catalogue = await loadCatalogue(year);
    const mayEnroll = canSee(session, "household");
    replaceChildren(
      container,
      h(
        "p",
        {},
        "Les âges sont comptés au ",
        formatBirthDate(catalogue.age_reference_date),
        ". Quand un cours est complet, une nouvelle demande prend rang sur sa liste d'attente.",
      ),
      catalogue.schools.map((entry) => schoolSection(year, entry, mayEnroll)),
    );
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
