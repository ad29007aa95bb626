// A weekly pattern over a period: the same activities on the same weekdays of every week,
// booked or cancelled in one request. The result lists the days written and the days
// refused, each with its reason.

import { fetchProfile, post } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatDay, isIsoDay, plural } from "../js/format.js";
import { startPage } from "../js/shell.js";
import { WEEKDAYS, fetchActivities, fullName, labelsOf, rejectionText } from "./commun.js";

const form = document.getElementById("semaine-type");
const notice = document.getElementById("avis");
const result = document.getElementById("resultat");

let sending = false;
let activities = [];
let activityLabels = {};

function renderPattern() {
  replaceChildren(
    document.getElementById("entete-semaine"),
    h("th", { scope: "col" }, "Jour"),
    activities.map((activity) => h("th", { scope: "col" }, activity.label)),
  );
  replaceChildren(
    document.getElementById("semaine"),
    WEEKDAYS.map((weekday) =>
      h(
        "tr",
        {},
        h("th", { scope: "row" }, weekday.label),
        activities.map((activity) => {
          const id = `semaine-${weekday.code}-${activity.code}`;
          return h(
            "td",
            {},
            h(
              "div",
              { className: "case-seance" },
              h("input", {
                type: "checkbox",
                id,
                name: "activite",
                value: `${weekday.code}/${activity.code}`,
              }),
              h(
                "label",
                { for: id, className: "visuellement-masque" },
                `${activity.label}, ${weekday.label.toLowerCase()}`,
              ),
            ),
          );
        }),
      ),
    ),
  );
}

function patternOf() {
  const weekdays = {};
  for (const box of form.querySelectorAll('input[name="activite"]:checked')) {
    const [weekday, activity] = box.value.split("/");
    weekdays[weekday] = [...(weekdays[weekday] ?? []), activity];
  }
  return weekdays;
}

/** "lundi 4 janvier 2027 : Cantine, Garderie du soir" lines, one per day, in day order. */
function dayLines(items) {
  const byDay = new Map();
  for (const item of items) {
    byDay.set(item.day, [...(byDay.get(item.day) ?? []), item]);
  }
  return [...byDay.keys()].sort().map((day) => [day, byDay.get(day)]);
}

function doneCount(count, cancelling) {
  return cancelling
    ? plural(count, "séance annulée", "séances annulées")
    : plural(count, "séance réservée", "séances réservées");
}

function showResult(outcome, cancelling, childName, firstDay) {
  const done = cancelling ? outcome.cancelled : outcome.booked;
  const doneTitle = cancelling ? "Jours annulés" : "Jours réservés";
  const calendar = new URL("calendrier.html", window.location.href);
  calendar.search = new URLSearchParams({
    enfant: form.elements.child_id.value,
    mois: firstDay.slice(0, 7),
  }).toString();
  replaceChildren(
    result,
    h(
      "div",
      { className: "encart encart-succes" },
      h(
        "p",
        {},
        h("strong", {}, `${childName} : `),
        `${doneCount(done.length, cancelling)}, ` +
          `${plural(outcome.rejected.length, "refusée", "refusées")}.`,
      ),
    ),
    h("h2", {}, doneTitle),
    done.length > 0
      ? h(
          "ul",
          { className: "liste-jours" },
          dayLines(done).map(([day, items]) =>
            h(
              "li",
              {},
              `${formatDay(day)} : `,
              items.map((item) => activityLabels[item.activity] ?? item.activity).join(", "),
            ),
          ),
        )
      : h("p", {}, "Aucun jour."),
    h("h2", {}, "Jours refusés"),
    outcome.rejected.length > 0
      ? h(
          "ul",
          { className: "liste-jours" },
          dayLines(outcome.rejected).map(([day, items]) =>
            h(
              "li",
              {},
              `${formatDay(day)} : `,
              items
                .map(
                  (item) =>
                    `${activityLabels[item.activity] ?? item.activity}, ${rejectionText(item)}`,
                )
                .join(" ; "),
            ),
          ),
        )
      : h("p", {}, "Aucun jour refusé."),
    h("p", {}, h("a", { href: calendar.href }, "Voir le calendrier du mois")),
  );
}

async function apply(event) {
  event.preventDefault();
  if (sending) {
    return;
  }
  const cancelling = event.submitter?.value === "annuler";
  clearErrors(form);
  replaceChildren(result);
  const intro = cancelling ? "L'annulation n'a pas abouti." : "La réservation n'a pas abouti.";
  const firstDay = form.elements.first_day.value;
  const lastDay = form.elements.last_day.value;
  if (!isIsoDay(firstDay)) {
    showError(form, { code: "dates_missing", field: "first_day" }, intro);
    return;
  }
  if (!isIsoDay(lastDay)) {
    showError(form, { code: "dates_missing", field: "last_day" }, intro);
    return;
  }
  const weekdays = patternOf();
  if (Object.keys(weekdays).length === 0) {
    showError(form, { code: "activities_missing", field: "pattern" }, intro);
    return;
  }
  sending = true;
  const buttons = form.querySelectorAll('button[type="submit"]');
  for (const button of buttons) {
    button.disabled = true;
  }
  try {
    const path = cancelling ? "/famille/reservations/cancellations" : "/famille/reservations";
    const outcome = await post(path, {
      child_id: form.elements.child_id.value,
      pattern: { first_day: firstDay, last_day: lastDay, weekdays },
    });
    const childName = form.elements.child_id.selectedOptions[0]?.textContent ?? "";
    showResult(outcome, cancelling, childName, firstDay);
    result.focus();
  } catch (error) {
    showError(form, error, intro);
  } finally {
    sending = false;
    for (const button of buttons) {
      button.disabled = false;
    }
  }
}

async function main() {
  const session = await startPage({ audience: "household" });
  if (!session) {
    return;
  }
  form.addEventListener("submit", apply);
  try {
    activities = await fetchActivities();
    activityLabels = labelsOf(activities);
    renderPattern();
    // Children of the profile: a child without a validated registration for the period's
    // school year gets each of its days refused with that reason.
    const profile = await fetchProfile();
    const children = (profile.household?.persons ?? []).filter((p) => p.role === "child");
    replaceChildren(
      form.elements.child_id,
      children.map((child) => h("option", { value: child.person_id }, fullName(child))),
    );
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
