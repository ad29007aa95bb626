// Dates and times as residents read them: French wording, Europe/Paris wall clock, whatever
// the time zone of the browser.

export const TIME_ZONE = "Europe/Paris";

const isoDayInParis = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const longDay = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "UTC",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});
const shortDay = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "UTC",
  weekday: "short",
  day: "numeric",
  month: "short",
});
const dayOfInstant = new Intl.DateTimeFormat("fr-FR", {
  timeZone: TIME_ZONE,
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});
const timeOfInstant = new Intl.DateTimeFormat("fr-FR", {
  timeZone: TIME_ZONE,
  hour: "2-digit",
  minute: "2-digit",
});

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Returns true for a calendar day written YYYY-MM-DD that exists. */
export function isIsoDay(text) {
  if (typeof text !== "string" || !DAY_PATTERN.test(text)) {
    return false;
  }
  const date = new Date(`${text}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Returns today's date in Europe/Paris, YYYY-MM-DD. */
export function todayInParis(now = new Date()) {
  return isoDayInParis.format(now);
}

// Calendar days are handled as noon UTC, so adding days never crosses a time-zone change.
function dayToDate(day) {
  return new Date(`${day}T12:00:00Z`);
}

/** Returns the day `count` days after `day` (before it when negative), both YYYY-MM-DD. */
export function addDays(day, count) {
  const date = dayToDate(day);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

/** Returns the Monday of the ISO week of `day`. */
export function mondayOf(day) {
  const weekday = (dayToDate(day).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** "samedi 5 décembre 2026" for "2026-12-05". */
export function formatDay(day) {
  return longDay.format(dayToDate(day));
}

/** "sam. 5 déc." for "2026-12-05", for chart labels. */
export function formatShortDay(day) {
  return shortDay.format(dayToDate(day));
}

/** "samedi 5 décembre 2026 à 14:00" for an ISO instant, in Europe/Paris time. */
export function formatInstant(iso) {
  const instant = new Date(iso);
  return `${dayOfInstant.format(instant)} à ${timeOfInstant.format(instant)}`;
}

/** "14:00" for an ISO instant, in Europe/Paris time. */
export function formatTime(iso) {
  return timeOfInstant.format(new Date(iso));
}

/** "5 décembre 1986" for a birth date "1986-12-05". */
export function formatBirthDate(day) {
  return new Intl.DateTimeFormat("fr-FR", {
    timeZone: "UTC",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(dayToDate(day));
}

/** "1 place" or "3 places": a count with its noun, singular for 0 and 1 as in French. */
export function plural(count, singular, pluralForm = `${singular}s`) {
  return `${count} ${count > 1 ? pluralForm : singular}`;
}
