// A teacher's courses of a school year: those of the catalogue that name the teacher id of
// the signed-in account.

import { h, replaceChildren } from "../js/dom.js";
import { messageFor } from "../js/errors.js";
import { linkNeighbourYears, pageSchoolYear } from "../js/school-year.js";
import { showPageNotice, startPage } from "../js/shell.js";
import { SCHOOL_LABELS, courseTitle, loadCatalogue } from "./commun.js";

const container = document.getElementById("classes");

function courseItem(year, entry) {
  const url = new URL("classe.html", window.location.href);
  url.search = new URLSearchParams({ annee: year, cours: entry.course.course_id }).toString();
  return h(
    "li",
    { className: "carte" },
    h("h2", {}, h("a", { href: url.href }, courseTitle(entry.course))),
    h("p", {}, SCHOOL_LABELS[entry.school] ?? entry.school),
    h("p", {}, `${entry.course.slot.label} · ${entry.course.place}`),
  );
}

async function main() {
  const session = await startPage({ audience: "teacher" });
  if (!session) {
    return;
  }
  const year = pageSchoolYear();
  document.getElementById("annee").textContent = `Année scolaire ${year}`;
  linkNeighbourYears(year);
  if (!session.teacherId) {
    showPageNotice("Compte non rattaché", messageFor({ code: "teacher_id_required" }));
    return;
  }
  try {
    const catalogue = await loadCatalogue(year);
    const mine = [...catalogue.courses.values()].filter(
      (entry) => entry.course.teacher.teacher_id === session.teacherId,
    );
    replaceChildren(
      container,
      mine.length > 0
        ? h(
            "ul",
            { className: "cartes" },
            mine.map((entry) => courseItem(year, entry)),
          )
        : h("p", {}, `Aucun cours ne vous est attribué pour l'année ${year}.`),
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
