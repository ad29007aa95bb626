// Sessions of a day with their places left, and the booking form: a session, then the
// household members who come, taken from the profile. Without a day in the address, the page
// opens on the first day of the published horizon that has a bookable session.

import { fetchProfile, get, post } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import {
  addDays,
  formatDay,
  formatInstant,
  formatTimeRange,
  isIsoDay,
  plural,
  todayInParis,
} from "../js/format.js";
import { startPage } from "../js/shell.js";

const form = document.getElementById("reservation");
const slotsFieldset = document.getElementById("seances");
const personsFieldset = document.getElementById("personnes");
const submitButton = document.getElementById("reserver");
const result = document.getElementById("resultat");

// One Idempotency-Key per booking attempt: kept while the same choice is sent again (a double
// click, a retry after a network error), replaced once the choice changes or a booking is made.
let attemptKey = null;
let sending = false;
// Whether the day shown has a session that can be booked now, and whether the household loaded.
let bookable = false;
let householdLoaded = false;

/** Returns why a session cannot be booked now, or null when it can. */
function unavailability(slot, now) {
  if (now < new Date(slot.opens_at)) {
    return `réservation à partir du ${formatInstant(slot.opens_at)}`;
  }
  if (now >= new Date(slot.closes_at)) {
    return "réservation close";
  }
  if (slot.places_left <= 0) {
    return "complet";
  }
  return null;
}

function slotChoice(slot, now) {
  const id = `seance-${slot.slot_id.replace(/[^0-9]/g, "")}`;
  const reason = unavailability(slot, now);
  const places = plural(slot.places_left, "place restante", "places restantes");
  return h(
    "div",
    { className: reason ? "choix choix-indisponible" : "choix" },
    h("input", {
      type: "radio",
      name: "slot_id",
      id,
      value: slot.slot_id,
      disabled: Boolean(reason),
    }),
    h(
      "label",
      { for: id },
      h("strong", {}, formatTimeRange(slot.start, slot.end)),
      reason ? " · " : ` · ${places}`,
      reason ? h("span", { className: "etiquette" }, reason) : null,
    ),
  );
}

/** Returns the closure of the timetable that covers `day`, or undefined. */
function closureOn(timetable, day) {
  return timetable?.closures.find((closure) => closure.start <= day && day <= closure.end);
}

/** Returns the text shown for a day without sessions, from the published timetable. */
function emptyDayText(day, timetable) {
  const closure = closureOn(timetable, day);
  if (closure) {
    return `L'Aquadrome est fermé ce jour-là : ${closure.reason}.`;
  }
  if (timetable && day > addDays(todayInParis(), timetable.horizon_days)) {
    return (
      `Les séances sont publiées ${timetable.horizon_days} jours à l'avance : ` +
      `celles du ${formatDay(day)} ne le sont pas encore.`
    );
  }
  if (day < todayInParis()) {
    return "Ce jour est passé.";
  }
  return "L'Aquadrome ne propose aucune séance ce jour-là.";
}

function renderSlots(day, slots, timetable) {
  const now = new Date();
  const legend = h("legend", {}, "Séance");
  bookable = slots.some((slot) => unavailability(slot, now) === null);
  if (slots.length === 0) {
    replaceChildren(slotsFieldset, legend, h("p", {}, emptyDayText(day, timetable)));
  } else {
    replaceChildren(
      slotsFieldset,
      legend,
      slots.map((slot) => slotChoice(slot, now)),
      bookable ? null : h("p", {}, "Aucune séance de ce jour ne peut être réservée maintenant."),
    );
  }
  updateSubmit();
}

/** Enables "Réserver" only when a session of the day can be booked and the household loaded. */
function updateSubmit() {
  submitButton.disabled = sending || !bookable || !householdLoaded;
}

function renderPersons(household) {
  const help = document.getElementById("personnes-aide");
  const legend = personsFieldset.querySelector("legend");
  const choices = household.persons.map((person) => {
    const id = `personne-${person.person_id}`;
    return h(
      "div",
      { className: "choix" },
      h("input", {
        type: "checkbox",
        name: "person_ids",
        id,
        value: person.person_id,
        "aria-describedby": "personnes-aide",
      }),
      h("label", { for: id }, `${person.first_name} ${person.last_name}`),
    );
  });
  replaceChildren(personsFieldset, legend, help, choices);
}

async function fetchSlots(day) {
  const { slots } = await get("/aquadrome/slots", { query: { day }, signedIn: false });
  return slots;
}

/**
 * Returns the first day from today to the end of the horizon with a bookable session, or
 * today when there is none. One request per day, stopping at the first such day.
 */
async function firstBookableDay(timetable) {
  const today = todayInParis();
  const now = new Date();
  for (let offset = 0; offset <= (timetable?.horizon_days ?? 0); offset += 1) {
    const day = addDays(today, offset);
    const slots = await fetchSlots(day);
    if (slots.some((slot) => unavailability(slot, now) === null)) {
      return day;
    }
  }
  return today;
}

async function loadSlots(day, timetable) {
  try {
    renderSlots(day, await fetchSlots(day), timetable);
  } catch (error) {
    bookable = false;
    updateSubmit();
    replaceChildren(
      slotsFieldset,
      h("legend", {}, "Séance"),
      h("p", { className: "message-erreur" }, messageFor(error)),
    );
  }
}

/** Returns the checked person boxes, each tagged with its index in the request for field errors. */
function checkedPersons() {
  const boxes = [...personsFieldset.querySelectorAll('input[name="person_ids"]')];
  for (const box of boxes) {
    delete box.closest(".choix").dataset.apiField;
  }
  const checked = boxes.filter((box) => box.checked);
  checked.forEach((box, index) => {
    box.closest(".choix").dataset.apiField = `person_ids[${index}]`;
  });
  return checked;
}

function personNames(boxes) {
  return boxes.map((box) => box.labels[0].textContent).join(", ");
}

function showBooked(booking, boxes) {
  const ticket = new URL("billet.html", window.location.href);
  ticket.searchParams.set("reservation", booking.booking_id);
  replaceChildren(
    result,
    h("p", {}, h("strong", {}, "Réservation confirmée.")),
    h("p", {}, `Séance du ${formatInstant(booking.starts_at)} pour ${personNames(boxes)}.`),
    h("p", {}, `Annulation possible jusqu'au ${formatInstant(booking.cancel_until)}.`),
    h("p", {}, h("a", { href: ticket.href }, "Afficher le billet à présenter à l'entrée")),
  );
}

async function submitBooking(event, day, timetable) {
  event.preventDefault();
  if (sending) {
    return;
  }
  clearErrors(form);
  replaceChildren(result);
  const intro = "La réservation n'a pas abouti.";
  const slot = form.querySelector('input[name="slot_id"]:checked');
  const boxes = checkedPersons();
  if (!slot) {
    showError(form, { code: "slot_id_invalid", field: "slot_id" }, intro);
    return;
  }
  if (boxes.length === 0) {
    showError(form, { code: "persons_missing", field: "person_ids" }, intro);
    return;
  }

  attemptKey ??= crypto.randomUUID();
  sending = true;
  submitButton.disabled = true;
  submitButton.textContent = "Réservation en cours…";
  try {
    const booking = await post(
      "/aquadrome/bookings",
      { slot_id: slot.value, person_ids: boxes.map((box) => box.value) },
      { headers: { "Idempotency-Key": attemptKey } },
    );
    attemptKey = null;
    showBooked(booking, boxes);
    form.reset();
    await loadSlots(day, timetable);
  } catch (error) {
    showError(form, error, intro);
  } finally {
    sending = false;
    submitButton.textContent = "Réserver";
    updateSubmit();
  }
}

/** Shows the chosen day in words beside the date field, whatever format the browser uses. */
function showDayInWords(field, output) {
  output.textContent = isIsoDay(field.value) ? formatDay(field.value) : "";
}

async function main() {
  const session = await startPage({ audience: "household" });
  if (!session) {
    return;
  }
  const timetable = await get("/aquadrome/timetable", { signedIn: false }).catch(() => null);
  const requested = queryParameter("jour");
  const day = isIsoDay(requested)
    ? requested
    : await firstBookableDay(timetable).catch(() => todayInParis());
  const dayField = document.getElementById("jour");
  const dayInWords = document.getElementById("jour-en-clair");
  dayField.value = day;
  showDayInWords(dayField, dayInWords);
  dayField.addEventListener("input", () => showDayInWords(dayField, dayInWords));
  document.getElementById("titre-jour").textContent = `Séances du ${formatDay(day)}`;
  document.getElementById("jour-precedent").search = `?jour=${addDays(day, -1)}`;
  document.getElementById("jour-suivant").search = `?jour=${addDays(day, 1)}`;

  form.addEventListener("change", () => {
    attemptKey = null;
  });
  form.addEventListener("submit", (event) => submitBooking(event, day, timetable));

  const [profile] = await Promise.all([
    fetchProfile().catch((error) => error),
    loadSlots(day, timetable),
  ]);
  if (profile instanceof Error) {
    showError(form, profile, "Votre foyer n'a pas pu être chargé.");
    return;
  }
  renderPersons(profile.household ?? { persons: [] });
  // Enabled only now, because loading the lists would wipe an error shown on an earlier submit.
  householdLoaded = true;
  updateSubmit();
}

main();
