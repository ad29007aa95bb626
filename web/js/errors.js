// The one table from API error codes to the French messages residents and agents read, and
// the code that shows an error next to the field it concerns.
//
// A key is an error code, or "code:field" for a wording that depends on the field. A value is
// a string, or a function of the error's `details` returning one. A code missing from the
// table shows the API's own message.

import { h } from "./dom.js";
import { formatInstant, plural } from "./format.js";

const MESSAGES = {
  // Shared by every démarche: transport, identity and the error families of the API.
  network_error:
    "Le service est injoignable. Vérifiez votre connexion à Internet, puis réessayez.",
  internal_error: "Le service a rencontré une erreur. Réessayez dans quelques minutes.",
  service_unavailable: "Le service est momentanément indisponible. Réessayez dans un instant.",
  malformed_json: "La demande envoyée est illisible. Rechargez la page, puis réessayez.",
  body_missing: "La demande envoyée est vide. Rechargez la page, puis réessayez.",
  malformed_request: "La demande envoyée est illisible. Rechargez la page, puis réessayez.",
  method_not_allowed: "Cette action n'est pas possible sur cette adresse.",
  invalid_request: "Cette valeur n'est pas acceptée. Vérifiez-la, puis réessayez.",
  not_authenticated: "Votre session a expiré. Connectez-vous de nouveau.",
  token_missing: "Connectez-vous pour continuer.",
  token_invalid: "Votre session n'est plus valable. Connectez-vous de nouveau.",
  token_expired: "Votre session a expiré. Connectez-vous de nouveau.",
  forbidden: "Votre compte n'a pas accès à cette action.",
  role_required: "Cette action est réservée aux agents habilités.",
  household_required:
    "Votre compte n'est rattaché à aucun foyer. Complétez votre profil avant de continuer.",
  not_found: "L'élément demandé est introuvable.",
  conflict: "Cette action n'est plus possible. Rechargez la page pour voir l'état actuel.",
  deadline_passed: "Le délai pour cette action est dépassé.",
  identity_unknown: "Cette identité de démonstration n'existe pas. Choisissez-en une autre.",
  day_invalid: "Cette date n'est pas valide. Choisissez un jour dans le calendrier.",

  // Aquadrome: booking.
  slot_id_invalid: "Choisissez une séance dans la liste.",
  slot_not_found: "Cette séance n'est pas proposée. Choisissez-en une autre.",
  slot_full: (details) =>
    details.places_left > 0
      ? `Il ne reste que ${plural(details.places_left, "place")} à cette séance. ` +
        "Cochez moins de personnes ou choisissez une autre séance."
      : "Cette séance est complète. Choisissez une autre séance.",
  booking_not_open: (details) =>
    details.opens_at
      ? `Les réservations pour cette séance ouvriront le ${formatInstant(details.opens_at)}.`
      : "Les réservations pour cette séance ne sont pas encore ouvertes.",
  booking_closed:
    "Les réservations pour cette séance sont closes. Choisissez une séance à venir.",
  persons_missing: "Cochez au moins une personne de votre foyer.",
  persons_repeated: "Une même personne est cochée deux fois.",
  too_many_persons:
    "Une réservation compte trop de personnes. " +
    "Cochez-en moins, puis faites une seconde réservation.",
  household_quota_exceeded: (details) =>
    details.used !== undefined
      ? `Votre foyer a déjà réservé ${plural(details.used, "place")} sur ` +
        `${details.quota} cette semaine : cette réservation dépasserait ce quota.`
      : "Cette réservation dépasserait le nombre de places par semaine de votre foyer.",
  person_not_in_household: "Cette personne ne fait pas partie de votre foyer.",
  person_already_booked: "Cette personne a déjà une place à cette séance.",
  idempotency_key_reused:
    "Cette demande a déjà servi pour une autre réservation. Rechargez la page, puis réessayez.",

  // Aquadrome: bookings, cancellation and tickets.
  booking_not_found: "Cette réservation est introuvable dans votre foyer.",
  booking_already_cancelled: "Cette réservation est déjà annulée.",
  cancellation_closed:
    "Le délai d'annulation est dépassé : cette réservation ne peut plus être annulée.",

  // Aquadrome: check-in at the entrance. ticket_missing is raised by the page itself.
  ticket_missing: "Saisissez la référence du billet.",
  "booking_not_found:ticket": "Billet refusé : il ne correspond à aucune réservation.",
  ticket_invalid: "Billet refusé : ce n'est pas un billet de l'Aquadrome, ou il a été modifié.",
  ticket_cancelled: "Billet refusé : la réservation de ce billet a été annulée.",
  ticket_already_used: "Billet refusé : ce billet a déjà servi pour une entrée.",
  ticket_wrong_day: "Billet refusé : ce billet est pour un autre jour.",
};

/** Returns the French message of an ApiError, or of any object with code, field and details. */
export function messageFor(error) {
  const entry = MESSAGES[`${error.code}:${error.field}`] ?? MESSAGES[error.code];
  if (typeof entry === "function") {
    return entry(error.details ?? {});
  }
  return entry ?? error.message ?? "Une erreur inattendue est survenue.";
}

let nextErrorId = 0;

/**
 * Finds the element of `form` that shows errors of an API field:
 * `[data-api-field="person_ids[1]"]`, else the field without its index (`person_ids`), else null.
 */
function fieldContainer(form, field) {
  const candidates = [field, field.replace(/\[\d+\]$/, "")];
  for (const name of candidates) {
    const container = form.querySelector(`[data-api-field="${CSS.escape(name)}"]`);
    if (container) {
      return container;
    }
  }
  return null;
}

function controlsOf(container) {
  if (container.matches("input, select, textarea")) {
    return [container];
  }
  return [...container.querySelectorAll("input, select, textarea")];
}

/** Removes the errors shown in `form` by showError. */
export function clearErrors(form) {
  for (const message of form.querySelectorAll(".message-erreur")) {
    for (const control of form.querySelectorAll(`[aria-describedby~="${message.id}"]`)) {
      const remaining = control
        .getAttribute("aria-describedby")
        .split(" ")
        .filter((id) => id !== message.id);
      if (remaining.length > 0) {
        control.setAttribute("aria-describedby", remaining.join(" "));
      } else {
        control.removeAttribute("aria-describedby");
      }
    }
    message.remove();
  }
  for (const control of form.querySelectorAll('[aria-invalid="true"]')) {
    control.removeAttribute("aria-invalid");
  }
  for (const container of form.querySelectorAll(".en-erreur")) {
    container.classList.remove("en-erreur");
  }
  for (const summary of form.querySelectorAll("[data-resume-erreur]")) {
    summary.replaceChildren();
  }
}

/**
 * Shows `error` in French next to the field of `form` it concerns (its `data-api-field`) and
 * in the form's summary (`[data-resume-erreur]`, an alert region), then moves the focus to
 * that field. `intro` starts the summary, as in "La réservation n'a pas abouti.".
 * Returns the message.
 */
export function showError(form, error, intro = "") {
  const message = messageFor(error);
  const container = error.field ? fieldContainer(form, error.field) : null;
  let subject = null;
  if (container) {
    // An indexed field names one choice of a list, such as one person: the summary names it.
    if (/\[\d+\]$/.test(error.field)) {
      subject = container.querySelector("label")?.textContent ?? null;
    }
    nextErrorId += 1;
    const paragraph = h(
      "p",
      { className: "message-erreur", id: `erreur-${nextErrorId}` },
      h("span", { className: "visuellement-masque" }, "Erreur : "),
      message,
    );
    const legend = container.querySelector(":scope > legend");
    if (legend) {
      legend.after(paragraph);
    } else {
      container.append(paragraph);
    }
    container.classList.add("en-erreur");
    const controls = controlsOf(container);
    for (const control of controls) {
      control.setAttribute("aria-invalid", "true");
      const describedBy = control.getAttribute("aria-describedby");
      control.setAttribute(
        "aria-describedby",
        describedBy ? `${describedBy} ${paragraph.id}` : paragraph.id,
      );
    }
    const focusTarget =
      controls.find((control) => control.checked && !control.disabled) ??
      controls.find((control) => !control.disabled);
    focusTarget?.focus();
  }
  const summary = form.querySelector("[data-resume-erreur]");
  if (summary) {
    const detail = subject ? `${subject} — ${message}` : message;
    summary.replaceChildren(...[intro, detail].filter(Boolean).map((text) => h("p", {}, text)));
  }
  return message;
}
