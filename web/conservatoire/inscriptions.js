// The household's enrollments of a school year: status, waiting rank, refusal reason and
// cancellation, then the annual fees of the courses that hold a place.

import { fetchProfile, get, post, remove } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatInstant } from "../js/format.js";
import { linkNeighbourYears, pageSchoolYear } from "../js/school-year.js";
import { startPage } from "../js/shell.js";
import {
  ACTIVE_STATUSES,
  SCHOOL_LABELS,
  STATUS_LABELS,
  courseTitle,
  loadCatalogue,
  personNames,
} from "./commun.js";
import { quoteTable } from "./devis.js";

const container = document.getElementById("inscriptions");
const result = document.getElementById("resultat");
const dialog = document.getElementById("confirmation");

let year = "";
let catalogue = null;
let names = new Map();

function titleOf(enrollment) {
  const entry = catalogue.courses.get(enrollment.course_id);
  return entry ? courseTitle(entry.course) : enrollment.course_id;
}

function statusText(enrollment) {
  switch (enrollment.status) {
    case "requested":
      return "Une place est réservée : le secrétariat doit confirmer l'inscription.";
    case "offered":
      return (
        "Une place s'est libérée et vous est proposée : le secrétariat doit confirmer " +
        "l'inscription."
      );
    case "waiting":
      return (
        `Le cours est complet : la demande est au rang ${enrollment.rank} ` +
        "de la liste d'attente."
      );
    case "confirmed":
      return "L'inscription est confirmée.";
    case "refused":
      return `La demande a été refusée. Motif : ${enrollment.refusal_reason ?? "non précisé"}.`;
    default:
      return "La demande a été annulée.";
  }
}

function enrollmentCard(enrollment) {
  const [statusLabel, statusClass] = STATUS_LABELS[enrollment.status] ?? [enrollment.status, ""];
  const entry = catalogue.courses.get(enrollment.course_id);
  const headingId = `inscription-${enrollment.enrollment_id}`;
  const person = names.get(enrollment.person_id) ?? enrollment.person_id;
  let form = null;
  if (ACTIVE_STATUSES.has(enrollment.status)) {
    form = h(
      "form",
      { dataset: { inscription: enrollment.enrollment_id } },
      h("div", { "data-resume-erreur": true, role: "alert" }),
      h(
        "div",
        { className: "actions", "data-api-field": "enrollment_id" },
        h(
          "button",
          { type: "submit", className: "bouton-danger", "aria-describedby": headingId },
          "Annuler l'inscription",
        ),
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      confirmCancellation(form, enrollment);
    });
  }
  return h(
    "article",
    { className: "reservation" },
    h(
      "h3",
      { id: headingId, tabindex: "-1" },
      `${person} · ${titleOf(enrollment)}`,
      h("span", { className: `etiquette ${statusClass}` }, statusLabel),
    ),
    h("p", {}, statusText(enrollment)),
    h(
      "dl",
      { className: "details" },
      h("dt", {}, "École"),
      h("dd", {}, SCHOOL_LABELS[enrollment.school] ?? enrollment.school),
      entry ? h("dt", {}, "Horaire") : null,
      entry ? h("dd", {}, `${entry.course.slot.label}, ${entry.course.place}`) : null,
      h("dt", {}, "Demande"),
      h("dd", {}, `n° ${enrollment.enrollment_id} du ${formatInstant(enrollment.requested_at)}`),
    ),
    form,
  );
}

async function loadEnrollments() {
  const { enrollments } = await get(`/conservatoire/${year}/enrollments`);
  if (enrollments.length === 0) {
    replaceChildren(
      container,
      h("p", {}, `Votre foyer n'a aucune demande d'inscription pour l'année ${year}.`),
    );
    return;
  }
  const byRequest = (a, b) => new Date(a.requested_at) - new Date(b.requested_at);
  const active = enrollments.filter((e) => ACTIVE_STATUSES.has(e.status)).sort(byRequest);
  const ended = enrollments.filter((e) => !ACTIVE_STATUSES.has(e.status)).sort(byRequest);
  const quote = await post(`/conservatoire/${year}/quote`, { planned: [] });
  replaceChildren(
    container,
    active.length > 0 ? [h("h2", {}, "En cours"), active.map(enrollmentCard)] : null,
    ended.length > 0 ? [h("h2", {}, "Refusées ou annulées"), ended.map(enrollmentCard)] : null,
    h("h2", {}, "Tarif annuel"),
    quote.lines.length > 0
      ? quoteTable(quote, names, `Tarif annuel des cours qui ont une place, année ${year}`)
      : h("p", {}, "Aucun cours n'a de place réservée ou confirmée : rien n'est dû."),
  );
}

function confirmCancellation(form, enrollment) {
  clearErrors(form);
  const person = names.get(enrollment.person_id) ?? enrollment.person_id;
  document.getElementById("confirmation-texte").textContent =
    `${titleOf(enrollment)} pour ${person}. ` +
    (enrollment.status === "waiting"
      ? "La demande quittera la liste d'attente."
      : "La place sera proposée à la première demande de la liste d'attente.");
  dialog.returnValue = "";
  dialog.addEventListener(
    "close",
    () => {
      if (dialog.returnValue === "annuler") {
        cancel(form, enrollment);
      }
    },
    { once: true },
  );
  dialog.showModal();
}

async function cancel(form, enrollment) {
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    await remove(`/conservatoire/enrollments/${encodeURIComponent(enrollment.enrollment_id)}`);
  } catch (error) {
    button.disabled = false;
    showError(form, error, "L'annulation n'a pas abouti.");
    return;
  }
  const person = names.get(enrollment.person_id) ?? enrollment.person_id;
  replaceChildren(
    result,
    h("p", {}, `L'inscription de ${person} au cours ${titleOf(enrollment)} est annulée.`),
  );
  await loadEnrollments();
  document.getElementById(`inscription-${enrollment.enrollment_id}`)?.focus();
}

async function main() {
  const session = await startPage({ audience: "household" });
  if (!session) {
    return;
  }
  year = pageSchoolYear({ forEnrollment: true });
  document.getElementById("annee").textContent = `Année scolaire ${year}`;
  document.getElementById("lien-inscrire").search = `?annee=${year}`;
  linkNeighbourYears(year);
  try {
    const [profile, loaded] = await Promise.all([fetchProfile(), loadCatalogue(year)]);
    catalogue = loaded;
    names = personNames(profile);
    await loadEnrollments();
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
