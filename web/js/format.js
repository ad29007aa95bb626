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

const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });

/** "1 234,50 €" for 123450 cents. */
export function formatEuros(cents) {
  return euros.format(cents / 100);
}

/** "2026-2027" for any day from 1 September 2026 to 31 August 2027 (YYYY-MM-DD). */
export function schoolYearOf(day) {
  const [year, month] = day.split("-").map(Number);
  const start = month >= 9 ? year : year - 1;
  return `${start}-${start + 1}`;
}

/** Returns true for a school year label "YYYY-YYYY" whose second year follows the first. */
export function isSchoolYear(text) {
  const match = /^(\d{4})-(\d{4})$/.exec(text ?? "");
  return Boolean(match) && Number(match[2]) === Number(match[1]) + 1;
}

/** Returns the school year `count` years after `label` (before it when negative). */
export function shiftSchoolYear(label, count) {
  const start = Number(label.slice(0, 4)) + count;
  return `${start}-${start + 1}`;
}

/**
 * Wording of the end of a period given as its first instant after the period (exclusive):
 * "jusqu'au vendredi 18 septembre 2026 inclus" when it ends at midnight in Paris, else
 * "jusqu'au samedi 19 septembre 2026 à 12:00".
 */
export function formatUntil(iso) {
  const instant = new Date(iso);
  if (timeOfInstant.format(instant) === "00:00") {
    const lastDay = todayInParis(new Date(instant.getTime() - 1));
    return `jusqu'au ${formatDay(lastDay)} inclus`;
  }
  return `jusqu'au ${formatInstant(iso)}`;
}

/** "5 décembre 2026" for an ISO instant, in Europe/Paris time. */
export function formatDateOfInstant(iso) {
  return formatBirthDate(todayInParis(new Date(iso)));
}

const monthName = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "UTC",
  month: "long",
  year: "numeric",
});

/** Returns true for a month written YYYY-MM. */
export function isIsoMonth(text) {
  return typeof text === "string" && /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

/** "janvier 2027" for "2027-01". */
export function formatMonth(month) {
  return monthName.format(dayToDate(`${month}-01`));
}

/** Returns the month `count` months after `month` (before it when negative), both YYYY-MM. */
export function addMonths(month, count) {
  const [year, number] = month.split("-").map(Number);
  const index = year * 12 + (number - 1) + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Returns the days of a month, YYYY-MM-DD, from Monday to Friday only. */
export function weekdaysOfMonth(month) {
  const days = [];
  for (let day = `${month}-01`; day.startsWith(month); day = addDays(day, 1)) {
    if (isoWeekday(day) < 5) {
      days.push(day);
    }
  }
  return days;
}

/** 0 for Monday to 6 for Sunday, for a day YYYY-MM-DD. */
export function isoWeekday(day) {
  return (dayToDate(day).getUTCDay() + 6) % 7;
}

/** "14 h" or "14 h 30" for a wall-clock time "14:00" or "14:30". */
export function formatHour(text) {
  const [hours, minutes] = text.split(":");
  const hour = String(Number(hours));
  return minutes === "00" ? `${hour} h` : `${hour} h ${minutes}`;
}

/** "de 14 h à 16 h" for the wall-clock times "14:00" and "16:00". */
export function formatTimeRange(start, end) {
  return `de ${formatHour(start)} à ${formatHour(end)}`;
}

/** "mar. 16 mars à 10 h" for an ISO instant, in Europe/Paris time. */
export function formatShortInstant(iso) {
  const instant = new Date(iso);
  return `${formatShortDay(todayInParis(instant))} à ${formatHour(timeOfInstant.format(instant))}`;
}

/** "samedi 5 décembre 2026, de 14 h à 16 h" for a session's ISO start and end instants. */
export function formatSession(startsAt, endsAt) {
  const start = new Date(startsAt);
  const hours = formatTimeRange(formatTime(startsAt), formatTime(endsAt));
  return `${dayOfInstant.format(start)}, ${hours}`;
}
