// Shared parts of the portail famille pages: activities from the API, weekdays, the French wording of statuses
// and of refused days, and the household's registration.

import { ApiError, get } from "../js/api.js";
import { formatInstant } from "../js/format.js";

let activitiesRequest = null;

/**
 * Returns the activities of the service in display order, from `GET /famille/activities`:
 * `[{code, label, weekdays, booking_deadline, cancellation_deadline}]`. One request per page.
 */
export function fetchActivities() {
  activitiesRequest ??= get("/famille/activities").then((list) => list.activities);
  return activitiesRequest;
}

/** Returns the labels of `activities` by code. */
export function labelsOf(activities) {
  return Object.fromEntries(activities.map((activity) => [activity.code, activity.label]));
}

/** Weekdays offered by the pages, in the API's names. */
export const WEEKDAYS = [
  { code: "monday", label: "Lundi" },
  { code: "tuesday", label: "Mardi" },
  { code: "wednesday", label: "Mercredi" },
  { code: "thursday", label: "Jeudi" },
  { code: "friday", label: "Vendredi" },
];

export const REGISTRATION_STATUS = {
  draft: ["Brouillon, pas encore envoyée", ""],
  submitted: ["Envoyée, en attente de validation", "etiquette-info"],
  validated: ["Validée", "etiquette-succes"],
  returned: ["Renvoyée pour correction", "etiquette-erreur"],
};

export const NON_SCHOOL_REASONS = {
  no_school_that_weekday: "pas d'école ce jour de la semaine",
  public_holiday: "jour férié",
  school_holiday: "vacances scolaires",
  ascension_bridge: "pont de l'Ascension, pas d'école",
  closure: "école fermée ce jour-là",
};

/** Returns why a day was not booked or not cancelled, from a `RejectedOut` of the API. */
export function rejectionText(rejected) {
  switch (rejected.reason) {
    case "child_not_registered":
      return "l'enfant n'a pas d'inscription validée pour cette année scolaire";
    case "activity_unknown":
      return "activité inconnue du service";
    case "not_school_day":
      return NON_SCHOOL_REASONS[rejected.non_school_reason] ?? "pas d'école ce jour-là";
    case "activity_not_running":
      return "l'activité n'a pas lieu ce jour-là";
    case "school_calendar_unknown":
      return "le calendrier scolaire de cette période n'est pas encore connu";
    case "deadline_passed":
      return rejected.deadline
        ? `délai dépassé depuis le ${formatInstant(rejected.deadline)}`
        : "délai dépassé";
    case "full":
      return "plus de place ce jour-là";
    case "already_booked":
      return "déjà réservé";
    case "not_booked":
      return "n'était pas réservé";
    default:
      return rejected.reason;
  }
}

/** Returns the household's registration of a school year, or null when it has none. */
export async function fetchRegistration(year) {
  try {
    return await get(`/famille/registrations/${encodeURIComponent(year)}`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "registration_not_found") {
      return null;
    }
    throw error;
  }
}

/** "Léa Martin" for a child or a person of the API. */
export function fullName(person) {
  return `${person.first_name} ${person.last_name}`;
}
