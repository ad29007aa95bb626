// Roster of one course for the conservatoire's agents: place holders to confirm or refuse,
// the waiting list in order, and the course's capacity.

import { get, post, put } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatBirthDate, formatInstant, isSchoolYear, plural } from "../js/format.js";
import { showPageNotice, startPage } from "../js/shell.js";
import { SCHOOL_LABELS, STATUS_LABELS, courseTitle, loadCatalogue } from "./commun.js";

const container = document.getElementById("liste");
const result = document.getElementById("resultat");
const capacityForm = document.getElementById("capacite");
const capacityInput = document.getElementById("places");
const capacityButton = document.getElementById("modifier-capacite");
const refusalDialog = document.getElementById("refus");
const refusalForm = document.getElementById("form-refus");

let year = "";
let courseId = "";
let roster = null;
// The enrollment the refusal dialog is open for.
let refusing = null;
let sending = false;

function pupilName(entry) {
  if (entry.first_name === null) {
    return "Personne qui a quitté le foyer";
  }
  return `${entry.first_name} ${entry.last_name}`;
}

function rowId(entry) {
  return `demande-${entry.enrollment.enrollment_id}`;
}

function actionsForm(entry) {
  const enrollment = entry.enrollment;
  const name = pupilName(entry);
  const buttons = [];
  if (enrollment.status === "requested" || enrollment.status === "offered") {
    buttons.push(
      h(
        "button",
        { type: "submit", value: "confirmer", "aria-describedby": rowId(entry) },
        "Confirmer",
      ),
    );
  }
  if (enrollment.status !== "confirmed") {
    buttons.push(
      h(
        "button",
        {
          type: "button",
          className: "bouton-danger",
          "aria-describedby": rowId(entry),
          onClick: () => openRefusal(entry),
        },
        "Refuser",
      ),
    );
  }
  if (buttons.length === 0) {
    return "—";
  }
  const form = h(
    "form",
    { className: "formulaire-ligne", "aria-label": `Décision sur la demande de ${name}` },
    h("div", { "data-resume-erreur": true, role: "alert" }),
    h("div", { className: "actions", "data-api-field": "status" }, buttons),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    confirmEnrollment(form, entry);
  });
  return form;
}

function table(caption, columns, rows) {
  return h(
    "div",
    { className: "tableau" },
    h(
      "table",
      {},
      h("caption", {}, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          columns.map((label) => h("th", { scope: "col" }, label)),
        ),
      ),
      h("tbody", {}, rows),
    ),
  );
}

function holdersTable() {
  if (roster.holders.length === 0) {
    return h("p", {}, "Aucune place n'est attribuée.");
  }
  const rows = roster.holders.map((entry) => {
    const [label, tagClass] = STATUS_LABELS[entry.enrollment.status] ?? [entry.enrollment.status];
    return h(
      "tr",
      {},
      h("th", { scope: "row", id: rowId(entry) }, pupilName(entry)),
      h("td", {}, entry.birth_date ? formatBirthDate(entry.birth_date) : "—"),
      h("td", {}, h("span", { className: `etiquette ${tagClass ?? ""}` }, label)),
      h("td", {}, formatInstant(entry.enrollment.requested_at)),
      h("td", {}, actionsForm(entry)),
    );
  });
  return table(
    `Places attribuées : ${roster.places_held} sur ${roster.capacity}`,
    ["Élève", "Naissance", "Statut", "Demande", "Décision"],
    rows,
  );
}

function waitingTable() {
  if (roster.waiting.length === 0) {
    return h("p", {}, "La liste d'attente est vide.");
  }
  const rows = roster.waiting.map((entry) =>
    h(
      "tr",
      {},
      h("td", { className: "nombre" }, String(entry.enrollment.rank)),
      h("th", { scope: "row", id: rowId(entry) }, pupilName(entry)),
      h("td", {}, entry.birth_date ? formatBirthDate(entry.birth_date) : "—"),
      h("td", {}, entry.enrollment.current_pupil ? "Oui" : "Non"),
      h("td", {}, formatInstant(entry.enrollment.requested_at)),
      h("td", {}, actionsForm(entry)),
    ),
  );
  return table(
    `Liste d'attente : ${plural(roster.waiting.length, "demande")}, dans l'ordre`,
    ["Rang", "Élève", "Naissance", "Élève de l'école", "Demande", "Décision"],
    rows,
  );
}

async function loadRoster() {
  const path = `/conservatoire/${year}/courses/${encodeURIComponent(courseId)}/roster`;
  roster = await get(path);
  replaceChildren(
    container,
    h("h2", {}, "Places attribuées"),
    h(
      "p",
      {},
      `${plural(roster.places_left, "place libre", "places libres")} sur ${roster.capacity}.`,
    ),
    holdersTable(),
    h("h2", {}, "Liste d'attente"),
    waitingTable(),
  );
  capacityInput.value = String(roster.capacity);
}

async function confirmEnrollment(form, entry) {
  if (sending) {
    return;
  }
  clearErrors(form);
  sending = true;
  const enrollmentId = encodeURIComponent(entry.enrollment.enrollment_id);
  try {
    await post(`/conservatoire/enrollments/${enrollmentId}/confirm`, undefined);
  } catch (error) {
    showError(form, error, "La confirmation n'a pas abouti.");
    return;
  } finally {
    sending = false;
  }
  replaceChildren(result, h("p", {}, `L'inscription de ${pupilName(entry)} est confirmée.`));
  await loadRoster();
}

function openRefusal(entry) {
  refusing = entry;
  clearErrors(refusalForm);
  refusalForm.reset();
  document.getElementById("refus-texte").textContent =
    `Demande de ${pupilName(entry)}, n° ${entry.enrollment.enrollment_id}.`;
  refusalDialog.showModal();
  document.getElementById("motif").focus();
}

async function submitRefusal(event) {
  event.preventDefault();
  if (sending || !refusing) {
    return;
  }
  clearErrors(refusalForm);
  const intro = "Le refus n'a pas été enregistré.";
  const reason = document.getElementById("motif").value.trim();
  if (!reason) {
    showError(refusalForm, { code: "refusal_reason_invalid", field: "reason" }, intro);
    return;
  }
  sending = true;
  const entry = refusing;
  const enrollmentId = encodeURIComponent(entry.enrollment.enrollment_id);
  try {
    await post(`/conservatoire/enrollments/${enrollmentId}/refuse`, { reason });
  } catch (error) {
    showError(refusalForm, error, intro);
    return;
  } finally {
    sending = false;
  }
  refusalDialog.close();
  refusing = null;
  replaceChildren(
    result,
    h("p", {}, `La demande de ${pupilName(entry)} est refusée. La famille reçoit le motif.`),
  );
  await loadRoster();
}

async function submitCapacity(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  clearErrors(capacityForm);
  replaceChildren(result);
  const intro = "La capacité n'a pas été modifiée.";
  const text = capacityInput.value.trim();
  if (!/^\d+$/.test(text) || Number(text) > 500) {
    showError(capacityForm, { code: "capacity_invalid", field: "capacity" }, intro);
    return;
  }
  sending = true;
  capacityButton.disabled = true;
  try {
    const path = `/conservatoire/${year}/courses/${encodeURIComponent(courseId)}/capacity`;
    const change = await put(path, { capacity: Number(text) });
    const promoted = change.promoted.length;
    replaceChildren(
      result,
      h("p", {}, `Capacité fixée à ${plural(change.capacity, "place")}.`),
      promoted > 0
        ? h(
            "p",
            {},
            `${plural(promoted, "demande")} de la liste d'attente ` +
              `${promoted > 1 ? "ont" : "a"} reçu une place, à confirmer.`,
          )
        : null,
    );
    await loadRoster();
  } catch (error) {
    showError(capacityForm, error, intro);
  } finally {
    sending = false;
    capacityButton.disabled = false;
  }
}

async function main() {
  const session = await startPage({ audience: "conservatoire_agent" });
  if (!session) {
    return;
  }
  year = queryParameter("annee") ?? "";
  courseId = queryParameter("cours") ?? "";
  if (!isSchoolYear(year) || !courseId) {
    showPageNotice(
      "Cours introuvable",
      "Cette adresse ne désigne aucun cours. Choisissez un cours dans la gestion des cours.",
    );
    return;
  }
  document.getElementById("retour").search = `?annee=${year}`;
  capacityForm.addEventListener("submit", submitCapacity);
  refusalForm.addEventListener("submit", submitRefusal);
  document.getElementById("refus-annuler").addEventListener("click", () => {
    refusalDialog.close();
    refusing = null;
  });
  try {
    const catalogue = await loadCatalogue(year);
    const entry = catalogue.courses.get(courseId);
    if (entry) {
      const title = courseTitle(entry.course);
      document.getElementById("titre-cours").textContent = title;
      document.title = `${title} · Conservatoire · Démarches en ligne · Grand Verdun`;
      document.getElementById("description-cours").textContent =
        `${SCHOOL_LABELS[entry.school]}, année ${year} · ${entry.course.slot.label} · ` +
        `${entry.course.place} · ${entry.course.teacher.name}`;
    }
    await loadRoster();
    capacityButton.disabled = false;
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
