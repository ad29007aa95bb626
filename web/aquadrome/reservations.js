// The household's bookings, with their cancellation deadline, ticket link and cancellation.

import { fetchProfile, get, remove } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatInstant, formatSession } from "../js/format.js";
import { startPage } from "../js/shell.js";

const STATUS_LABELS = {
  confirmed: ["Confirmée", "etiquette-info"],
  cancelled: ["Annulée", ""],
  checked_in: ["Entrée validée", "etiquette-succes"],
  no_show: ["Absence constatée", "etiquette-erreur"],
};

const container = document.getElementById("reservations");
const result = document.getElementById("resultat");
const dialog = document.getElementById("confirmation");

let names = new Map();

function sessionLabel(booking) {
  return formatSession(booking.starts_at, booking.ends_at);
}

function deadlineText(booking, now) {
  switch (booking.status) {
    case "confirmed":
      return now < new Date(booking.cancel_until)
        ? `Annulation possible jusqu'au ${formatInstant(booking.cancel_until)}.`
        : `Délai d'annulation dépassé depuis le ${formatInstant(booking.cancel_until)}.`;
    case "checked_in":
      return `Entrée validée le ${formatInstant(booking.checked_in_at)}.`;
    case "no_show":
      return "Personne ne s'est présenté à cette séance.";
    default:
      return "Les places de cette réservation ont été libérées.";
  }
}

function ticketLink(booking) {
  const url = new URL("billet.html", window.location.href);
  url.searchParams.set("reservation", booking.booking_id);
  return h("a", { href: url.href }, "Afficher le billet");
}

function bookingCard(booking, now) {
  const [statusLabel, statusClass] = STATUS_LABELS[booking.status] ?? [booking.status, ""];
  const persons = booking.person_ids.map((id) => names.get(id) ?? id).join(", ");
  const headingId = `reservation-${booking.booking_id}`;
  const actions = [];
  if (booking.status === "confirmed" || booking.status === "checked_in") {
    actions.push(ticketLink(booking));
  }
  if (booking.status === "confirmed" && now < new Date(booking.cancel_until)) {
    actions.push(
      h(
        "button",
        {
          type: "submit",
          className: "bouton-danger",
          "aria-describedby": headingId,
        },
        "Annuler la réservation",
      ),
    );
  }
  const form = h(
    "form",
    { dataset: { reservation: booking.booking_id } },
    h("div", { "data-resume-erreur": true, role: "alert" }),
    h("div", { className: "actions", "data-api-field": "booking_id" }, actions),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    confirmCancellation(form, booking);
  });
  return h(
    "article",
    { className: "reservation" },
    h(
      "h3",
      { id: headingId, tabindex: "-1" },
      sessionLabel(booking),
      h("span", { className: `etiquette ${statusClass}` }, statusLabel),
    ),
    h("p", {}, `Personnes : ${persons}`),
    h("p", {}, deadlineText(booking, now)),
    actions.length > 0 ? form : null,
  );
}

function section(title, bookings, now) {
  if (bookings.length === 0) {
    return null;
  }
  return [h("h2", {}, title), bookings.map((booking) => bookingCard(booking, now))];
}

async function loadBookings() {
  const { bookings } = await get("/aquadrome/bookings");
  const now = new Date();
  const byStart = (a, b) => new Date(a.starts_at) - new Date(b.starts_at);
  const upcoming = bookings.filter((b) => new Date(b.ends_at) > now).sort(byStart);
  const past = bookings
    .filter((b) => new Date(b.ends_at) <= now)
    .sort(byStart)
    .reverse();
  if (bookings.length === 0) {
    replaceChildren(container, h("p", {}, "Votre foyer n'a aucune réservation en cours."));
    return;
  }
  replaceChildren(
    container,
    section("À venir", upcoming, now),
    section("Passées", past, now),
  );
}

function confirmCancellation(form, booking) {
  clearErrors(form);
  document.getElementById("confirmation-texte").textContent =
    `Séance du ${sessionLabel(booking)}. Les places seront libérées pour d'autres nageurs.`;
  dialog.returnValue = "";
  dialog.addEventListener(
    "close",
    () => {
      if (dialog.returnValue === "annuler") {
        cancel(form, booking);
      }
    },
    { once: true },
  );
  dialog.showModal();
}

async function cancel(form, booking) {
  for (const button of form.querySelectorAll("button")) {
    button.disabled = true;
  }
  try {
    await remove(`/aquadrome/bookings/${encodeURIComponent(booking.booking_id)}`);
  } catch (error) {
    for (const button of form.querySelectorAll("button")) {
      button.disabled = false;
    }
    showError(form, error, "L'annulation n'a pas abouti.");
    return;
  }
  replaceChildren(
    result,
    h(
      "p",
      {},
      `La réservation du ${sessionLabel(booking)} est annulée. Ses places sont libérées.`,
    ),
  );
  await loadBookings();
  document.getElementById(`reservation-${booking.booking_id}`)?.focus();
}

async function main() {
  const session = await startPage({ audience: "household" });
  if (!session) {
    return;
  }
  try {
    const profile = await fetchProfile();
    names = new Map(
      (profile.household?.persons ?? []).map((person) => [
        person.person_id,
        `${person.first_name} ${person.last_name}`,
      ]),
    );
    await loadBookings();
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
