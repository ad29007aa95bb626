// Evaluations of the household's pupils for a school year, by pupil, course and term.

import { fetchProfile, get } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { messageFor } from "../js/errors.js";
import { formatInstant } from "../js/format.js";
import { linkNeighbourYears, pageSchoolYear } from "../js/school-year.js";
import { startPage } from "../js/shell.js";
import { TERM_LABELS, courseTitle, loadCatalogue, personNames } from "./commun.js";

const container = document.getElementById("evaluations");

function groupBy(items, keyOf) {
  const groups = new Map();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

function evaluationBlock(evaluation) {
  const dates = evaluation.amended_at
    ? `Publiée le ${formatInstant(evaluation.posted_at)}, modifiée le ` +
      formatInstant(evaluation.amended_at)
    : `Publiée le ${formatInstant(evaluation.posted_at)}`;
  return h(
    "section",
    { className: "evaluation" },
    h("h4", {}, TERM_LABELS[evaluation.term] ?? evaluation.term),
    h(
      "dl",
      { className: "details" },
      h("dt", {}, "Niveau atteint"),
      h("dd", {}, evaluation.level_reached),
      h("dt", {}, "Appréciation"),
      h("dd", { className: "texte-long" }, evaluation.appreciation),
    ),
    h("p", { className: "aide" }, `${dates}.`),
  );
}

async function main() {
  const session = await startPage({ audience: "household" });
  if (!session) {
    return;
  }
  const year = pageSchoolYear();
  document.getElementById("annee").textContent = `Année scolaire ${year}`;
  linkNeighbourYears(year);
  try {
    const [profile, catalogue, listed] = await Promise.all([
      fetchProfile(),
      loadCatalogue(year),
      get(`/conservatoire/${year}/evaluations`),
    ]);
    const names = personNames(profile);
    if (listed.evaluations.length === 0) {
      replaceChildren(
        container,
        h("p", {}, `Aucune évaluation n'est publiée pour l'année ${year}.`),
      );
      return;
    }
    const byPerson = groupBy(listed.evaluations, (evaluation) => evaluation.person_id);
    replaceChildren(
      container,
      [...byPerson].map(([personId, evaluations]) => [
        h("h2", {}, names.get(personId) ?? personId),
        [...groupBy(evaluations, (evaluation) => evaluation.course_id)].map(
          ([courseId, ofCourse]) => {
            const entry = catalogue.courses.get(courseId);
            return [
              h("h3", {}, entry ? courseTitle(entry.course) : courseId),
              ofCourse.map(evaluationBlock),
            ];
          },
        ),
      ]),
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
