// A teacher's class: the confirmed pupils of one course, each with the evaluation form of
// the chosen term, filled with the evaluation already posted if there is one.

import { ApiError, get, put } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatInstant, isSchoolYear } from "../js/format.js";
import { showPageNotice, startPage } from "../js/shell.js";
import { SCHOOL_LABELS, TERM_LABELS, courseTitle, loadCatalogue } from "./commun.js";

const container = document.getElementById("eleves");

let year = "";
let courseId = "";
let term = "trimestre_1";

function evaluationPath(personId) {
  const course = encodeURIComponent(courseId);
  const person = encodeURIComponent(personId);
  return `/conservatoire/${year}/courses/${course}/pupils/${person}/evaluations/${term}`;
}

/** Returns the pupil's evaluation of the term, or null when none is posted. */
async function fetchEvaluation(personId) {
  try {
    return await get(evaluationPath(personId));
  } catch (error) {
    if (error instanceof ApiError && error.code === "evaluation_not_found") {
      return null;
    }
    throw error;
  }
}

function postedText(evaluation) {
  if (!evaluation) {
    return "Aucune évaluation publiée pour ce trimestre.";
  }
  const posted = `Publiée le ${formatInstant(evaluation.posted_at)}`;
  return evaluation.amended_at
    ? `${posted}, modifiée le ${formatInstant(evaluation.amended_at)}.`
    : `${posted}.`;
}

function pupilForm(pupil, evaluation) {
  const name = `${pupil.first_name ?? "Élève"} ${pupil.last_name ?? ""}`.trim();
  const prefix = `eleve-${pupil.person_id}`;
  const state = h(
    "p",
    { className: "aide", id: `${prefix}-etat`, role: "status" },
    postedText(evaluation),
  );
  const submit = h(
    "button",
    { type: "submit" },
    evaluation ? "Enregistrer la modification" : "Publier l'évaluation",
  );
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": `${prefix}-nom` },
    h("div", { "data-resume-erreur": true, role: "alert" }),
    h(
      "div",
      { className: "champ", "data-api-field": "level_reached" },
      h("label", { for: `${prefix}-niveau` }, "Niveau atteint"),
      h("input", {
        type: "text",
        id: `${prefix}-niveau`,
        name: "level_reached",
        maxlength: "120",
        value: evaluation?.level_reached ?? "",
        required: true,
      }),
    ),
    h(
      "div",
      { className: "champ", "data-api-field": "appreciation" },
      h("label", { for: `${prefix}-appreciation` }, "Appréciation"),
      h(
        "textarea",
        {
          id: `${prefix}-appreciation`,
          name: "appreciation",
          rows: "4",
          maxlength: "2000",
          required: true,
        },
        evaluation?.appreciation ?? "",
      ),
    ),
    h("div", { className: "actions" }, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    postEvaluation(form, pupil, state, submit);
  });
  return h(
    "article",
    { className: "reservation" },
    h("h3", { id: `${prefix}-nom` }, name),
    state,
    form,
  );
}

async function postEvaluation(form, pupil, state, submit) {
  if (submit.disabled) {
    return;
  }
  clearErrors(form);
  const intro = "L'évaluation n'a pas été publiée.";
  const levelReached = form.elements.level_reached.value.trim();
  const appreciation = form.elements.appreciation.value.trim();
  if (!levelReached) {
    showError(form, { code: "evaluation_invalid", field: "level_reached" }, intro);
    return;
  }
  if (!appreciation) {
    showError(form, { code: "evaluation_invalid", field: "appreciation" }, intro);
    return;
  }
  submit.disabled = true;
  try {
    const saved = await put(evaluationPath(pupil.person_id), {
      level_reached: levelReached,
      appreciation,
    });
    state.textContent = postedText(saved);
    submit.textContent = "Enregistrer la modification";
  } catch (error) {
    showError(form, error, intro);
  } finally {
    submit.disabled = false;
  }
}

async function loadPupils() {
  const path = `/conservatoire/${year}/courses/${encodeURIComponent(courseId)}/pupils`;
  const { pupils } = await get(path);
  if (pupils.length === 0) {
    replaceChildren(container, h("p", {}, "Aucun élève n'a d'inscription confirmée à ce cours."));
    return;
  }
  const evaluations = await Promise.all(pupils.map((pupil) => fetchEvaluation(pupil.person_id)));
  replaceChildren(
    container,
    pupils.map((pupil, index) => pupilForm(pupil, evaluations[index])),
  );
}

async function main() {
  const session = await startPage({ audience: "teacher" });
  if (!session) {
    return;
  }
  year = queryParameter("annee") ?? "";
  courseId = queryParameter("cours") ?? "";
  if (!isSchoolYear(year) || !courseId) {
    showPageNotice(
      "Cours introuvable",
      "Cette adresse ne désigne aucun cours. Choisissez un cours dans vos classes.",
    );
    return;
  }
  const requestedTerm = queryParameter("trimestre");
  term = requestedTerm in TERM_LABELS ? requestedTerm : "trimestre_1";
  document.getElementById("champ-annee").value = year;
  document.getElementById("champ-cours").value = courseId;
  document.getElementById("trimestre").value = term;
  document.getElementById("retour").search = `?annee=${year}`;
  document.getElementById("titre-trimestre").textContent = `Élèves : ${TERM_LABELS[term]}`;
  try {
    const catalogue = await loadCatalogue(year);
    const entry = catalogue.courses.get(courseId);
    if (entry) {
      const title = courseTitle(entry.course);
      document.getElementById("titre-cours").textContent = `Évaluations : ${title}`;
      document.title = `${title} · Conservatoire · Démarches en ligne · Grand Verdun`;
      document.getElementById("description-cours").textContent =
        `${SCHOOL_LABELS[entry.school]}, année ${year} · ${entry.course.slot.label}`;
    }
    await loadPupils();
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
