// Agents' overview of a school year: every course with its capacity, places left and
// waiting list, each linked to its roster.

import { h, replaceChildren } from "../js/dom.js";
import { messageFor } from "../js/errors.js";
import { linkNeighbourYears, pageSchoolYear } from "../js/school-year.js";
import { startPage } from "../js/shell.js";
import { SCHOOL_LABELS, courseTitle, loadCatalogue } from "./commun.js";

const container = document.getElementById("cours");

function rosterLink(year, course) {
  const url = new URL("cours.html", window.location.href);
  url.search = new URLSearchParams({ annee: year, cours: course.course_id }).toString();
  return h("a", { href: url.href }, courseTitle(course));
}

function schoolTable(year, entry) {
  const label = SCHOOL_LABELS[entry.school] ?? entry.school;
  return [
    h("h2", {}, label),
    h(
      "div",
      { className: "tableau" },
      h(
        "table",
        {},
        h("caption", {}, `${label} : places et listes d'attente, année ${year}`),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Cours"),
            h("th", { scope: "col" }, "Horaire"),
            h("th", { scope: "col" }, "Enseignant"),
            h("th", { scope: "col", className: "nombre" }, "Capacité"),
            h("th", { scope: "col", className: "nombre" }, "Places restantes"),
            h("th", { scope: "col", className: "nombre" }, "Liste d'attente"),
          ),
        ),
        h(
          "tbody",
          {},
          entry.courses.map((course) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, rosterLink(year, course)),
              h("td", {}, course.slot.label),
              h("td", {}, course.teacher.name),
              h("td", { className: "nombre" }, String(course.capacity)),
              h("td", { className: "nombre" }, String(course.places_left)),
              h("td", { className: "nombre" }, String(course.waiting_list_length)),
            ),
          ),
        ),
      ),
    ),
  ];
}

async function main() {
  const session = await startPage({ audience: "conservatoire_agent" });
  if (!session) {
    return;
  }
  const year = pageSchoolYear({ forEnrollment: true });
  document.getElementById("annee").textContent = `Année scolaire ${year}`;
  linkNeighbourYears(year);
  try {
    const catalogue = await loadCatalogue(year);
    replaceChildren(
      container,
      catalogue.schools.map((entry) => schoolTable(year, entry)),
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
