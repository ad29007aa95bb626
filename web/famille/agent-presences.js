// Agents' list of the children expected at a school on a day for an activity, with their PAI
// flag, and the attendance form: present, absent, or absent with an excuse (not invoiced).

import { get, post } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatDay, isIsoDay, plural, todayInParis } from "../js/format.js";
import { startPage } from "../js/shell.js";
import { fetchActivities, fullName, labelsOf } from "./commun.js";

const MARKS = [
  ["present", "Présent"],
  ["absent", "Absent"],
  ["excused", "Absent excusé"],
];

const form = document.getElementById("presences");
const notice = document.getElementById("avis");
const result = document.getElementById("resultat");

let session = { school_id: "", day: "", activity: "" };
let sending = false;
let activityLabels = {};

function markOf(child) {
  if (child.attended === true) {
    return "present";
  }
  if (child.attended === false) {
    return child.excused ? "excused" : "absent";
  }
  return null;
}

function childRow(child) {
  const name = fullName(child);
  const groupId = `presence-${child.child_id}`;
  const mark = markOf(child);
  return h(
    "tr",
    {},
    h("th", { scope: "row", id: `${groupId}-nom` }, name),
    h(
      "td",
      {},
      child.pai
        ? h("span", { className: "etiquette etiquette-erreur" }, "PAI : voir le protocole")
        : "—",
    ),
    h(
      "td",
      {},
      h(
        "fieldset",
        { className: "sans-cadre choix-en-ligne", "aria-labelledby": `${groupId}-nom` },
        MARKS.map(([value, label]) =>
          h(
            "div",
            { className: "choix" },
            h("input", {
              type: "radio",
              id: `${groupId}-${value}`,
              name: `presence-${child.child_id}`,
              value,
              checked: mark === value,
              dataset: { enfant: child.child_id },
            }),
            h("label", { for: `${groupId}-${value}` }, label),
          ),
        ),
      ),
    ),
  );
}

async function loadList() {
  const list = await get("/famille/agent/sessions", { query: session });
  const label = activityLabels[session.activity] ?? session.activity;
  document.getElementById("legende-presences").textContent =
    `${label}, ${session.school_id}, ${formatDay(session.day)} : ` +
    plural(list.children.length, "enfant attendu", "enfants attendus");
  if (list.children.length === 0) {
    form.hidden = true;
    replaceChildren(notice, h("p", {}, "Aucun enfant n'est attendu pour cette séance."));
    return;
  }
  replaceChildren(document.getElementById("enfants"), list.children.map(childRow));
  replaceChildren(notice);
  form.hidden = false;
}

async function save(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  clearErrors(form);
  replaceChildren(result);
  const marks = { present: [], absent: [], excused: [] };
  for (const radio of form.querySelectorAll('input[type="radio"]:checked')) {
    marks[radio.value].push(radio.dataset.enfant);
  }
  sending = true;
  try {
    const saved = await post("/famille/agent/attendance", { ...session, ...marks });
    replaceChildren(
      result,
      h(
        "p",
        {},
        `${plural(saved.recorded.length, "présence enregistrée", "présences enregistrées")}.`,
      ),
      saved.not_booked.length > 0
        ? h("p", {}, `Sans réservation, non enregistrés : ${saved.not_booked.join(", ")}.`)
        : null,
    );
    await loadList();
    result.focus();
  } catch (error) {
    showError(form, error, "Les présences n'ont pas été enregistrées.");
  } finally {
    sending = false;
  }
}

async function fillSchools(day) {
  try {
    const counts = await get("/famille/agent/meal-counts", { query: { day } });
    replaceChildren(
      document.getElementById("ecoles"),
      counts.schools.map((school) => h("option", { value: school.school_id })),
    );
  } catch {
    // The suggestions are a convenience: the agent can still type the school id.
  }
}

async function main() {
  const signedIn = await startPage({ audience: "periscolaire_agent" });
  if (!signedIn) {
    return;
  }
  const activitySelect = document.getElementById("activite");
  let activities = [];
  try {
    activities = await fetchActivities();
  } catch (error) {
    replaceChildren(
      notice,
      h("div", { className: "encart encart-erreur", role: "alert" }, h("p", {}, messageFor(error))),
    );
    notice.removeAttribute("aria-busy");
    return;
  }
  activityLabels = labelsOf(activities);
  replaceChildren(
    activitySelect,
    activities.map((activity) => h("option", { value: activity.code }, activity.label)),
  );
  const requestedDay = queryParameter("jour");
  const day = isIsoDay(requestedDay) ? requestedDay : todayInParis();
  const requestedActivity = queryParameter("activite");
  session = {
    school_id: (queryParameter("ecole") ?? "").trim(),
    day,
    activity: requestedActivity in activityLabels ? requestedActivity : (activities[0]?.code ?? ""),
  };
  document.getElementById("ecole").value = session.school_id;
  document.getElementById("jour").value = day;
  activitySelect.value = session.activity;
  form.addEventListener("submit", save);
  fillSchools(day);
  if (!session.school_id) {
    notice.removeAttribute("aria-busy");
    return;
  }
  document.getElementById("titre-liste").textContent =
    `${activityLabels[session.activity]} du ${formatDay(day)}`;
  try {
    await loadList();
  } catch (error) {
    replaceChildren(
      notice,
      h("div", { className: "encart encart-erreur", role: "alert" }, h("p", {}, messageFor(error))),
    );
  } finally {
    notice.removeAttribute("aria-busy");
  }
}

main();
