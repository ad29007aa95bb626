// A child's month of periscolaire sessions: one row per weekday and one checkbox per
// activity. Ticking books and unticking cancels. A day that the API rejects shows the reason
// next to its box, with the deadline that applied when it has passed.

import { get, post } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import {
  addMonths,
  formatDay,
  formatMonth,
  isIsoMonth,
  plural,
  schoolYearOf,
  todayInParis,
  weekdaysOfMonth,
} from "../js/format.js";
import { startPage } from "../js/shell.js";
import {
  ACTIVITIES,
  ACTIVITY_LABELS,
  fetchRegistration,
  fullName,
  rejectionText,
} from "./commun.js";

const form = document.getElementById("calendrier");
const notice = document.getElementById("avis");
const result = document.getElementById("resultat");
const submitButton = document.getElementById("enregistrer");

let childId = "";
let month = "";
let sending = false;
// Booked sessions of the child in the month, as "YYYY-MM-DD/activity" keys.
let booked = new Set();

const keyOf = (day, activity) => `${day}/${activity}`;

function cellId(day, activity) {
  return `seance-${day}-${activity}`;
}

function attendanceText(row) {
  if (row?.attended === true) {
    return "présent";
  }
  if (row?.attended === false) {
    return "absent";
  }
  return null;
}

function renderHeader() {
  const header = document.getElementById("entete-activites");
  replaceChildren(
    header,
    h("th", { scope: "col" }, "Jour"),
    ACTIVITIES.map((activity) => h("th", { scope: "col" }, activity.label)),
  );
}

function renderDays(rows) {
  const today = todayInParis();
  const byKey = new Map(rows.map((row) => [keyOf(row.day, row.activity), row]));
  const lines = weekdaysOfMonth(month).map((day) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, formatDay(day)),
      ACTIVITIES.map((activity) => {
        const key = keyOf(day, activity.code);
        const row = byKey.get(key);
        const attended = attendanceText(row);
        return h(
          "td",
          { dataset: { seance: key } },
          h(
            "div",
            { className: "case-seance" },
            h("input", {
              type: "checkbox",
              id: cellId(day, activity.code),
              name: "seance",
              value: key,
              checked: booked.has(key),
              disabled: day < today,
            }),
            h(
              "label",
              { for: cellId(day, activity.code), className: "visuellement-masque" },
              `${activity.label}, ${formatDay(day)}`,
            ),
            attended ? h("span", { className: "etiquette" }, attended) : null,
          ),
        );
      }),
    ),
  );
  replaceChildren(document.getElementById("jours"), lines);
}

async function loadMonth() {
  const { reservations } = await get("/famille/reservations", { query: { month } });
  const rows = reservations.filter((row) => row.child_id === childId);
  booked = new Set(
    rows.filter((row) => row.status === "booked").map((row) => keyOf(row.day, row.activity)),
  );
  renderDays(rows);
}

/** Groups "day/activity" keys into the API's days: `[{day, activities}]`. */
function daysOf(keys) {
  const byDay = new Map();
  for (const key of keys) {
    const [day, activity] = key.split("/");
    byDay.set(day, [...(byDay.get(day) ?? []), activity]);
  }
  return [...byDay].map(([day, activities]) => ({ day, activities }));
}

function markRejected(rejections, verb) {
  for (const rejected of rejections) {
    const cell = form.querySelector(`td[data-seance="${keyOf(rejected.day, rejected.activity)}"]`);
    if (!cell) {
      continue;
    }
    const id = `refus-${rejected.day}-${rejected.activity}`;
    cell.classList.add("en-erreur");
    cell.append(
      h(
        "p",
        { className: "message-erreur", id },
        h("span", { className: "visuellement-masque" }, "Erreur : "),
        `Non ${verb} : ${rejectionText(rejected)}`,
      ),
    );
    const box = cell.querySelector("input");
    box.setAttribute("aria-invalid", "true");
    box.setAttribute("aria-describedby", id);
  }
}

function rejectedItem(rejected) {
  return h(
    "li",
    {},
    `${ACTIVITY_LABELS[rejected.activity] ?? rejected.activity}, ${formatDay(rejected.day)} : `,
    rejectionText(rejected),
  );
}

async function save(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  clearErrors(form);
  replaceChildren(result);
  const checked = new Set(
    [...form.querySelectorAll('input[name="seance"]:checked')].map((box) => box.value),
  );
  const toBook = [...checked].filter((key) => !booked.has(key));
  const toCancel = [...booked].filter(
    (key) => !checked.has(key) && !form.querySelector(`input[value="${key}"]`)?.disabled,
  );
  if (toBook.length === 0 && toCancel.length === 0) {
    replaceChildren(result, h("p", {}, "Aucun changement à enregistrer."));
    return;
  }
  sending = true;
  submitButton.disabled = true;
  try {
    const booking = toBook.length
      ? await post("/famille/reservations", { child_id: childId, days: daysOf(toBook) })
      : { booked: [], rejected: [] };
    const cancelling = toCancel.length
      ? await post("/famille/reservations/cancellations", {
          child_id: childId,
          days: daysOf(toCancel),
        })
      : { cancelled: [], rejected: [] };
    await loadMonth();
    const refused = [...booking.rejected, ...cancelling.rejected];
    replaceChildren(
      result,
      h(
        "p",
        {},
        `${plural(booking.booked.length, "séance réservée", "séances réservées")}, ` +
          `${plural(cancelling.cancelled.length, "séance annulée", "séances annulées")}.`,
      ),
      refused.length > 0
        ? [
            h(
              "p",
              {},
              h(
                "strong",
                {},
                `${plural(refused.length, "demande refusée", "demandes refusées")} :`,
              ),
            ),
            h("ul", {}, refused.map(rejectedItem)),
          ]
        : null,
    );
    markRejected(booking.rejected, "réservé");
    markRejected(cancelling.rejected, "annulé");
    result.focus();
  } catch (error) {
    showError(form, error, "Les changements n'ont pas été enregistrés.");
  } finally {
    sending = false;
    submitButton.disabled = false;
  }
}

function showNotice(...children) {
  form.hidden = true;
  replaceChildren(notice, h("div", { className: "encart" }, children));
}

async function main() {
  const session = await startPage({ audience: "household" });
  if (!session) {
    return;
  }
  const requested = queryParameter("mois");
  month = isIsoMonth(requested) ? requested : todayInParis().slice(0, 7);
  const year = schoolYearOf(`${month}-01`);
  document.getElementById("mois").value = month;
  form.addEventListener("submit", save);
  renderHeader();
  try {
    const registration = await fetchRegistration(year);
    const children = registration?.children ?? [];
    const select = document.getElementById("enfant");
    replaceChildren(
      select,
      children.map((child) => h("option", { value: child.child_id }, fullName(child))),
    );
    const wanted = queryParameter("enfant");
    childId = children.some((child) => child.child_id === wanted)
      ? wanted
      : (children[0]?.child_id ?? "");
    select.value = childId;
    for (const [id, count] of [
      ["mois-precedent", -1],
      ["mois-suivant", 1],
    ]) {
      const query = new URLSearchParams({ enfant: childId, mois: addMonths(month, count) });
      document.getElementById(id).search = `?${query}`;
    }
    const child = children.find((c) => c.child_id === childId);
    document.getElementById("titre-mois").textContent = child
      ? `Réservations de ${fullName(child)}, ${formatMonth(month)}`
      : `Réservations, ${formatMonth(month)}`;

    if (registration?.status !== "validated") {
      showNotice(
        h(
          "p",
          {},
          `Les réservations de l'année ${year} s'ouvrent une fois l'inscription périscolaire ` +
            "validée par le service. ",
          h("a", { href: `inscription.html?annee=${year}` }, "Voir l'inscription de l'année"),
        ),
      );
      return;
    }
    document.getElementById("legende-calendrier").textContent =
      `Activités réservées pour ${fullName(child)}, ${formatMonth(month)}, du lundi au vendredi`;
    await loadMonth();
    replaceChildren(notice);
    form.hidden = false;
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
