// A child's month of periscolaire sessions: one row per weekday and one checkbox per
// activity. Ticking books and unticking cancels. The API gives each day's school status and
// each activity's deadlines, so a day without school shows its reason, and a box whose
// deadline has passed is disabled with that deadline. A day the API still rejects on saving
// shows the reason next to its box.

import { get, post } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import {
  addMonths,
  formatDay,
  formatMonth,
  formatShortInstant,
  isIsoMonth,
  isoWeekday,
  plural,
  schoolYearOf,
  todayInParis,
} from "../js/format.js";
import { startPage } from "../js/shell.js";
import {
  NON_SCHOOL_REASONS,
  fetchActivities,
  fetchRegistration,
  fullName,
  labelsOf,
  rejectionText,
} from "./commun.js";

const form = document.getElementById("calendrier");
const notice = document.getElementById("avis");
const result = document.getElementById("resultat");
const submitButton = document.getElementById("enregistrer");

let childId = "";
let month = "";
let sending = false;
let activities = [];
let activityLabels = {};
// Booked sessions of the child in the month, as "YYYY-MM-DD/activity" keys.
let booked = new Set();

const keyOf = (day, activity) => `${day}/${activity}`;
const WEEKDAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

function cellId(day, activity) {
  return `seance-${day}-${activity}`;
}

function attendanceText(session) {
  if (session.attended === true) {
    return "présent";
  }
  if (session.attended === false) {
    return "absent";
  }
  return null;
}

/** Returns why a day of `GET /famille/calendar` has no school, in French. */
function nonSchoolText(entry) {
  if (!entry.calendar_known) {
    return "calendrier scolaire pas encore connu";
  }
  switch (entry.non_school_reason) {
    case "no_school_that_weekday":
      return `pas d'école le ${WEEKDAY_NAMES[isoWeekday(entry.day)]}`;
    case "public_holiday":
      return entry.holiday_name ? `jour férié (${entry.holiday_name})` : "jour férié";
    case "school_holiday":
      return entry.holiday_name ?? NON_SCHOOL_REASONS.school_holiday;
    default:
      return NON_SCHOOL_REASONS[entry.non_school_reason] ?? "pas d'école ce jour-là";
  }
}

/**
 * Returns whether the box of a session can change, and the deadline text shown under it:
 * cancelling a booked session, else booking it.
 */
function deadlineOf(session, registered) {
  const isBooked = session.status === "booked";
  const deadline = isBooked ? session.cancellation_deadline : session.booking_deadline;
  const allowed = isBooked ? session.can_cancel : session.can_book;
  const when = formatShortInstant(deadline);
  if (allowed) {
    return { allowed, text: `${isBooked ? "Annulable" : "Réservable"} jusqu'au ${when}` };
  }
  if (!registered) {
    return { allowed, text: "Inscription non validée" };
  }
  return {
    allowed,
    text: `${isBooked ? "Annulation" : "Réservation"} close depuis le ${when}`,
  };
}

function renderHeader() {
  const header = document.getElementById("entete-activites");
  replaceChildren(
    header,
    h("th", { scope: "col" }, "Jour"),
    activities.map((activity) => h("th", { scope: "col" }, activity.label)),
  );
}

function sessionCell(entry, session, registered) {
  const key = keyOf(entry.day, session.code);
  const id = cellId(entry.day, session.code);
  const { allowed, text } = deadlineOf(session, registered);
  const attended = attendanceText(session);
  return h(
    "td",
    { dataset: { seance: key } },
    h(
      "div",
      { className: "case-seance" },
      h("input", {
        type: "checkbox",
        id,
        name: "seance",
        value: key,
        checked: booked.has(key),
        disabled: !allowed,
        "aria-describedby": `${id}-delai`,
      }),
      h(
        "label",
        { for: id, className: "visuellement-masque" },
        `${session.label}, ${formatDay(entry.day)}`,
      ),
      attended ? h("span", { className: "etiquette" }, attended) : null,
    ),
    h("p", { className: "aide delai-seance", id: `${id}-delai` }, text),
  );
}

function renderDays(calendar) {
  const lines = calendar.days
    .filter((entry) => !entry.weekend)
    .map((entry) => {
      const dayHeader = h("th", { scope: "row" }, formatDay(entry.day));
      if (!entry.school_day) {
        return h(
          "tr",
          { className: "jour-sans-ecole" },
          dayHeader,
          h("td", { colSpan: activities.length }, nonSchoolText(entry)),
        );
      }
      const sessions = new Map(entry.activities.map((session) => [session.code, session]));
      return h(
        "tr",
        {},
        dayHeader,
        activities.map((activity) => {
          const session = sessions.get(activity.code);
          return session
            ? sessionCell(entry, session, calendar.registered)
            : h("td", {}, "L'activité n'a pas lieu ce jour-là");
        }),
      );
    });
  replaceChildren(document.getElementById("jours"), lines);
}

async function loadMonth() {
  const calendar = await get("/famille/calendar", { query: { month, child_id: childId } });
  booked = new Set(
    calendar.days.flatMap((entry) =>
      entry.activities
        .filter((session) => session.status === "booked")
        .map((session) => keyOf(entry.day, session.code)),
    ),
  );
  renderDays(calendar);
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
    `${activityLabels[rejected.activity] ?? rejected.activity}, ${formatDay(rejected.day)} : `,
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

function showDeadlineRules() {
  replaceChildren(
    document.getElementById("delais"),
    activities.map((activity) => {
      const booking = activity.booking_deadline.text;
      const cancellation = activity.cancellation_deadline.text;
      const rule =
        booking === cancellation
          ? `réservation et annulation ${booking}`
          : `réservation ${booking}, annulation ${cancellation}`;
      return h("li", {}, h("strong", {}, activity.label), ` : ${rule}.`);
    }),
  );
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
  try {
    activities = await fetchActivities();
    activityLabels = labelsOf(activities);
    renderHeader();
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
    showDeadlineRules();
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
