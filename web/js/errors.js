// The one table from API error codes to the French messages residents and agents read, and
// the code that shows an error next to the field it concerns.
//
// A key is an error code, or "code:field" for a wording that depends on the field. A value is
// a string, or a function of the error's `details` returning one. A code missing from the
// table shows the API's own message.

import { h } from "./dom.js";
import { formatDay, formatInstant, plural } from "./format.js";

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
  route_not_found: "Cette adresse du service n'existe pas. Rechargez la page, puis réessayez.",
  body_too_large:
    "La demande envoyée est trop volumineuse. Réduisez le texte ou le nombre d'éléments, " +
    "puis réessayez.",

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
  booking_not_cancellable:
    "Cette réservation ne peut plus être annulée : la séance a eu lieu ou le billet a servi.",

  // Aquadrome: check-in at the entrance. ticket_missing is raised by the page itself.
  ticket_missing: "Saisissez la référence du billet.",
  "booking_not_found:ticket": "Billet refusé : il ne correspond à aucune réservation.",
  ticket_invalid: "Billet refusé : ce n'est pas un billet de l'Aquadrome, ou il a été modifié.",
  ticket_cancelled: "Billet refusé : la réservation de ce billet a été annulée.",
  ticket_already_used: "Billet refusé : ce billet a déjà servi pour une entrée.",
  ticket_wrong_day: (details) =>
    details.day
      ? `Billet refusé : ce billet est pour le ${formatDay(details.day)}.`
      : "Billet refusé : ce billet est pour un autre jour.",
  ticket_too_early: (details) =>
    details.opens_at
      ? `Billet refusé pour l'instant : l'entrée ouvre le ${formatInstant(details.opens_at)}.`
      : "Billet refusé pour l'instant : l'entrée de cette séance n'est pas encore ouverte.",
  ticket_session_ended: "Billet refusé : la séance de ce billet est terminée.",

  // Conservatoire and atelier d'art: catalogue and enrollment. course_missing and
  // person_missing are raised by the page itself.
  school_year_not_found: "Aucun catalogue n'est publié pour cette année scolaire.",
  course_not_found: "Ce cours n'est pas au catalogue de cette année. Choisissez-en un autre.",
  course_missing: "Choisissez un cours dans la liste.",
  person_missing: "Choisissez le membre de votre foyer à inscrire.",
  household_not_found: "Votre foyer n'est pas encore enregistré : complétez votre profil.",
  person_not_found: "Cette personne ne fait pas partie de votre foyer.",
  age_out_of_range: (details) =>
    details.age !== undefined
      ? `Ce cours n'est pas ouvert à cet âge : la personne aura ${plural(details.age, "an")} ` +
        `au jour de référence du catalogue (${agesLabel(details)}).`
      : "Ce cours n'est pas ouvert à l'âge de cette personne.",
  enrollment_already_exists: "Cette personne a déjà une demande en cours pour ce cours.",
  enrollment_not_open: (details) =>
    details.opens_at
      ? "Les inscriptions ne sont pas encore ouvertes : elles ouvrent le " +
        `${formatInstant(details.opens_at)}.`
      : "Les inscriptions ne sont pas encore ouvertes.",
  reenrollment_reserved_for_current_pupils: (details) =>
    "La période de réinscription est réservée aux élèves de l'année en cours." +
    (details.opens_at
      ? ` Les inscriptions ouvrent à tous le ${formatInstant(details.opens_at)}.`
      : ""),
  enrollment_closed:
    "Les inscriptions de cette année sont closes. Contactez le secrétariat de l'école.",
  "invalid_request:course_id": "Choisissez un cours dans la liste.",
  "invalid_request:person_id": "Choisissez le membre de votre foyer à inscrire.",

  // Conservatoire and atelier d'art: enrollments, agents' decisions and capacities.
  enrollment_not_found: "Cette inscription est introuvable.",
  enrollment_status_conflict:
    "Le statut de cette inscription ne permet plus cette action. Rechargez la page.",
  refusal_reason_invalid: "Indiquez le motif du refus, en 500 caractères au plus.",
  capacity_invalid: "Indiquez un nombre de places entre 0 et 500.",
  "invalid_request:capacity": "Indiquez un nombre de places entier entre 0 et 500.",
  capacity_below_places_held: (details) =>
    details.places_held !== undefined
      ? `La capacité ne peut pas descendre sous les ${plural(details.places_held, "place")} ` +
        "déjà attribuées. Annulez ou refusez d'abord des inscriptions."
      : "La capacité ne peut pas descendre sous les places déjà attribuées.",
  action_forbidden: "Votre compte ne permet pas cette action.",

  // Conservatoire and atelier d'art: evaluations.
  teacher_id_required:
    "Votre compte d'enseignant n'est rattaché à aucun enseignant du catalogue. " +
    "Demandez au conservatoire de le rattacher.",
  term_invalid: "Choisissez un trimestre dans la liste.",
  evaluation_forbidden: "Seul l'enseignant du cours peut publier ou modifier cette évaluation.",
  pupil_not_found: "Cet élève n'est pas inscrit à ce cours.",
  evaluation_not_found: "Aucune évaluation n'est publiée.",
  evaluation_changed:
    "Cette évaluation vient d'être enregistrée par ailleurs. Rechargez la page, puis réessayez.",
  "evaluation_invalid:appreciation": "Écrivez l'appréciation, en 2 000 caractères au plus.",
  "evaluation_invalid:level_reached": "Indiquez le niveau atteint, en 120 caractères au plus.",
  "invalid_request:appreciation": "Écrivez l'appréciation, en 2 000 caractères au plus.",
  "invalid_request:level_reached": "Indiquez le niveau atteint, en 120 caractères au plus.",

  // Portail famille: registration. A field with an index, such as authorized_persons.0.phone,
  // is looked up with "*" in place of the index.
  school_year_invalid: "Cette année scolaire n'est pas valide. Choisissez-en une dans la page.",
  registration_not_found:
    "Votre foyer n'a pas encore d'inscription pour cette année scolaire. " +
    "Commencez par l'inscription.",
  registration_changed:
    "L'inscription vient d'être modifiée par ailleurs. Rechargez la page, puis réessayez.",
  registration_transition_invalid:
    "L'état de l'inscription ne permet plus cette action. Rechargez la page.",
  registration_incomplete: "L'inscription est incomplète.",
  "registration_incomplete:consents.rules":
    "Acceptez le règlement du service périscolaire pour envoyer l'inscription.",
  "registration_incomplete:guardians":
    "Votre profil ne compte aucun adulte responsable : complétez-le avant d'inscrire.",
  "registration_incomplete:children":
    "Votre profil ne compte aucun enfant : complétez-le avant d'inscrire.",
  "registration_incomplete:children[*].school_id":
    "L'école d'un enfant manque dans votre profil : complétez-le avant d'envoyer l'inscription.",
  "registration_incomplete:children[*].class_name":
    "La classe d'un enfant manque dans votre profil : complétez-le avant d'envoyer l'inscription.",
  "registration_incomplete:reason": "Indiquez le motif du renvoi, que la famille lira.",
  child_not_found: "Cet enfant ne fait pas partie de votre foyer.",
  "invalid_request:authorized_persons.*.first_name":
    "Indiquez le prénom, en 80 caractères au plus.",
  "invalid_request:authorized_persons.*.last_name": "Indiquez le nom, en 80 caractères au plus.",
  "invalid_request:authorized_persons.*.phone":
    "Indiquez un numéro de téléphone de 6 à 20 chiffres, par exemple 06 12 34 56 78.",
  "invalid_request:authorized_persons.*.relationship":
    "Indiquez le lien avec les enfants, par exemple grand-mère.",
  "invalid_request:authorized_persons": "Indiquez 10 personnes au plus.",
  "invalid_request:contact_phone":
    "Indiquez un numéro de téléphone de 6 à 20 chiffres, par exemple 06 12 34 56 78.",

  // Portail famille: quotient familial.
  quotient_consent_missing:
    "Donnez d'abord votre accord à la récupération de votre quotient familial, " +
    "ou déposez votre avis d'imposition.",
  quotient_input_invalid: "Cette valeur n'est pas acceptée. Vérifiez-la, puis réessayez.",
  "quotient_input_invalid:allocataire":
    "Indiquez l'identité de l'allocataire de la CAF ou de la MSA, ou votre numéro fiscal.",
  "quotient_input_invalid:numero_fiscal":
    "Indiquez votre numéro fiscal : les 13 chiffres en haut de votre avis d'imposition.",
  "invalid_request:numero_fiscal":
    "Le numéro fiscal compte 13 chiffres, sans espace : recopiez-le depuis votre avis " +
    "d'imposition.",
  "invalid_request:allocataire.nom_naissance": "Indiquez le nom de naissance de l'allocataire.",
  "invalid_request:allocataire.prenoms": "Indiquez les prénoms de l'allocataire.",
  "invalid_request:allocataire.sexe": "Indiquez le sexe inscrit sur l'acte de naissance.",
  "invalid_request:allocataire.annee_naissance": "Indiquez l'année de naissance, sur 4 chiffres.",
  "invalid_request:allocataire.mois_naissance": "Indiquez un mois de naissance entre 1 et 12.",
  "invalid_request:allocataire.jour_naissance": "Indiquez un jour de naissance entre 1 et 31.",
  "invalid_request:allocataire.code_pays_lieu_naissance":
    "Indiquez le code du pays de naissance sur 5 chiffres : 99100 pour la France.",
  "invalid_request:allocataire.code_insee_lieu_naissance":
    "Indiquez le code INSEE de la commune de naissance, sur 5 caractères (55545 pour Verdun).",
  quotient_paper_path_required:
    "Le quotient familial n'est pas récupéré automatiquement : déposez votre avis d'imposition.",
  quotient_person_not_found:
    "Aucun dossier ne correspond à cette identité. Vérifiez-la, ou déposez votre avis " +
    "d'imposition.",
  quotient_service_unavailable:
    "Le service de la CAF ou des impôts ne répond pas. Réessayez plus tard, ou déposez votre " +
    "avis d'imposition.",
  quotient_response_invalid:
    "La réponse de la CAF ou des impôts est inexploitable. Déposez votre avis d'imposition.",
  tax_notice_not_found: "Le fichier n'est pas arrivé. Déposez-le de nouveau.",
  tax_notice_state_invalid: "Votre quotient familial est déjà enregistré pour cette année.",
  file_missing: "Choisissez le fichier PDF à déposer.",
  file_not_pdf: "Choisissez un fichier PDF.",
  file_too_large: (details) =>
    `Ce fichier dépasse la taille maximale de ${details.limit ?? "la limite"}. ` +
    "Réduisez-le, puis déposez-le de nouveau.",
  upload_failed: "Le dépôt du fichier a échoué. Réessayez dans un instant.",

  // Portail famille: reservations. child_missing and activities_missing are raised by the
  // pages themselves.
  child_missing: "Choisissez un enfant.",
  activities_missing: "Cochez au moins une activité un jour de la semaine.",
  dates_missing: "Indiquez une date au format jj/mm/aaaa.",
  month_invalid: "Ce mois n'est pas valide. Choisissez-en un dans le calendrier.",
  activity_unknown: "Cette activité n'existe pas. Choisissez-en une dans la liste.",
  school_calendar_unknown:
    "Le calendrier scolaire de cette période n'est pas encore connu. Réessayez plus tard.",
  reservation_request_invalid: "Cette demande n'est pas valide. Vérifiez les dates.",
  "reservation_request_invalid:last_day":
    "La période doit finir après son premier jour, dans la même année scolaire.",
  "reservation_request_invalid:days":
    "Une demande ne porte que sur une année scolaire : faites-en une par année.",
  "reservation_request_invalid:pattern": "Cochez au moins une activité un jour de la semaine.",
  "invalid_request:pattern.first_day": "Indiquez une date au format jj/mm/aaaa.",
  "invalid_request:pattern.last_day": "Indiquez une date au format jj/mm/aaaa.",
  "invalid_request:pattern.weekdays": "Cochez au moins une activité un jour de la semaine.",
  reservation_deadline_passed: "Le délai de réservation est dépassé.",

  // Portail famille: invoices and payment.
  invoice_not_found: "Cette facture est introuvable dans votre foyer.",
  invoice_already_paid: "Cette facture est déjà payée.",
  payment_request_invalid:
    "Le paiement en ligne n'a pas pu être préparé. Rechargez la page, puis réessayez.",
  payment_service_unavailable:
    "Le service de paiement en ligne est indisponible. Réessayez plus tard.",

  // Portail famille: agents.
  status_invalid: "Choisissez un statut dans la liste.",
  school_id_invalid: "Indiquez l'identifiant de l'école.",
  activity_invalid: "Choisissez une activité dans la liste.",
  "invalid_request:present": "Un enfant est noté deux fois : marquez chaque enfant une fois.",
  "reservation_request_invalid:present":
    "Un enfant est noté deux fois : marquez chaque enfant une fois.",
  // Urbanism: drafts, pieces and submission.
  dossier_not_found: "Cette demande est introuvable parmi les vôtres.",
  dossier_changed:
    "La demande vient d'être modifiée par ailleurs. Rechargez la page, puis réessayez.",
  dossier_closed: "Cette demande est close : elle ne peut plus changer.",
  request_type_changed:
    "Un brouillon garde son type de demande. Créez une nouvelle demande pour un autre type.",
  notary_office_required:
    "Une DIA est déposée par le notaire du vendeur : connectez-vous avec le compte d'un " +
    "office notarial.",
  "notary_office_required:request.type":
    "Une DIA est déposée par le notaire du vendeur : choisissez un certificat d'urbanisme, " +
    "ou connectez-vous avec le compte d'un office notarial.",
  request_invalid: "Des champs de la demande ne sont pas valides.",
  submission_invalid: "La demande ne peut pas encore être déposée : complétez les champs signalés.",
  piece_unknown: "Cette pièce n'est pas demandée pour ce type de demande.",
  piece_not_uploadable:
    "Cette pièce ne peut pas être envoyée maintenant : les pièces s'ajoutent au brouillon, " +
    "ou quand le service les demande.",
  transition_not_allowed: "L'état de la demande ne permet pas cette action. Rechargez la page.",
  transition_forbidden: "Votre compte ne peut pas faire cette action sur cette demande.",
  "transition_forbidden:outcome":
    "Vous signalez l'envoi des pièces demandées, le jour même ; le service enregistre les visites.",
  complement_incomplete:
    "Envoyez d'abord chacune des pièces demandées, et attendez qu'elles soient acceptées.",
  registration_sequence_exhausted:
    "Le service ne peut plus numéroter de demande cette année. Contactez le service urbanisme.",

  // Urbanism: the fields of a request. The codes are those of the API's field issues.
  missing: "Renseignez ce champ.",
  "missing:*.parcels": "Indiquez au moins une parcelle cadastrale.",
  "missing:*.built": "Indiquez si le bien est bâti.",
  siret_invalid:
    "Ce SIRET n'est pas valide : il compte 14 chiffres, dont le dernier est une clé de " +
    "contrôle. Recopiez-le depuis le Kbis ou l'avis de situation de l'INSEE.",
  parcel_id_invalid:
    "Cette référence cadastrale n'est pas valide : 14 caractères, code INSEE, préfixe, section " +
    "et numéro, par exemple 55545 000 AB 0123.",
  parcel_duplicated: "Une parcelle est citée deux fois.",
  parcel_commune_mismatch:
    "Une parcelle n'est pas dans la commune indiquée : les 5 premiers caractères d'une " +
    "référence cadastrale sont le code INSEE de sa commune.",
  postcode_invalid: "Un code postal français compte 5 chiffres.",
  postcode_commune_mismatch: "Ce code postal n'est pas celui de la commune du terrain.",
  commune_outside_territory:
    "Cette commune n'est pas dans la Communauté d'agglomération du Grand Verdun : déposez la " +
    "demande auprès de la commune où se trouve le terrain.",
  floor_area_without_building:
    "Une surface bâtie est indiquée pour un bien non bâti : retirez-la, ou indiquez que le " +
    "bien est bâti.",
  value_error: "Cette valeur n'est pas valide.",
  "value_error:*.email": "Indiquez une adresse électronique valide, par exemple nom@exemple.fr.",
  string_pattern_mismatch: "Cette valeur n'a pas le format attendu.",
  "string_pattern_mismatch:*.code_insee":
    "Le code INSEE de la commune compte 5 caractères, par exemple 55545 pour Verdun : ce " +
    "n'est pas le code postal.",
  "string_pattern_mismatch:*.phone":
    "Indiquez un numéro de téléphone de 6 à 20 chiffres, par exemple 03 29 86 00 00.",
  string_too_long: "Ce texte est trop long.",
  string_too_short: "Renseignez ce champ.",
  too_long: "Cette liste est trop longue.",
  "too_long:*.parcels": "Indiquez 200 parcelles au plus.",
  greater_than: "Indiquez un nombre plus grand que zéro.",
  greater_than_equal: "Indiquez un nombre positif.",
  less_than_equal: "Ce nombre est trop grand.",
  int_parsing: "Indiquez un nombre entier.",
  int_type: "Indiquez un nombre entier.",
  enum: "Choisissez une valeur dans la liste.",
  literal_error: "Choisissez une valeur dans la liste.",
  amount_invalid: "Indiquez un montant en euros, par exemple 185 000 ou 1 250,50.",
  area_invalid: "Indiquez une surface en mètres carrés, par un nombre entier.",

  // Urbanism: instruction and signature.
  dossier_not_awaiting:
    "La demande n'attend plus cette étape : une autre action vient d'être faite. Rechargez " +
    "la page.",
  workflow_step_gone: "Cette étape est déjà passée. Rechargez la page.",
  complement_already_requested:
    "Des pièces ou une visite ont déjà été demandées pour ce dossier : la loi ne permet " +
    "qu'une seule demande.",
  dia_suspension_already_used:
    "Le délai de cette DIA a déjà été suspendu une fois : la loi ne permet qu'une seule " +
    "demande de pièces ou de visite.",
  dia_not_suspended: "Le délai de cette DIA n'est pas suspendu.",
  dia_resume_cause_invalid: "Cet événement ne répond pas à la demande faite au notaire.",
  event_date_invalid:
    "Cette date n'est pas valide : elle doit être passée, et postérieure à la demande.",
  instruction_deadline_passed:
    "Le délai d'instruction est dépassé : la décision tacite est acquise.",
  decision_invalid: "La décision ne correspond pas à ce type de demande.",
  "decision_invalid:decision.kind": "Choisissez une décision possible pour ce type de demande.",
  "decision_invalid:decision.outcome":
    "Indiquez si l'opération d'un CUb est réalisable ; un CUa n'en indique pas.",
  "decision_invalid:decision.sections":
    "Un certificat négatif donne ses motifs : ajoutez au moins une rubrique.",
  "decision_invalid:decision.reasons":
    "Une préemption indique son objet : écrivez au moins un motif.",
  "decision_invalid:decision.offered_price": "Une préemption indique le prix proposé, en euros.",
  message_missing: "Écrivez le message adressé au demandeur.",
  documents_missing: "Indiquez au moins une pièce à demander, une par ligne.",
  note_required: "Indiquez ce qu'il faut modifier dans le projet de décision.",
  signatory_not_registered:
    "Aucune délégation de signature n'est enregistrée pour votre compte : demandez au service " +
    "de l'enregistrer.",
  signing_unavailable:
    "La signature électronique est momentanément indisponible. Réessayez plus tard.",

  // Shared by the refusal of an enrollment and the return of a registration.
  "invalid_request:reason": "Indiquez le motif, en 500 caractères au plus.",
};

/** "de 7 à 12 ans" or "à partir de 7 ans", from the minimum and maximum of an age error. */
function agesLabel(details) {
  if (details.maximum === null || details.maximum === undefined) {
    return `ouvert à partir de ${plural(details.minimum, "an")}`;
  }
  return `ouvert de ${details.minimum} à ${plural(details.maximum, "an")}`;
}

/** "persons.*.phone" for "persons.0.phone", "children[*].school_id" for "children[2].school_id". */
function anyIndex(field) {
  return String(field)
    .replace(/\.\d+(?=\.|$)/g, ".*")
    .replace(/\[\d+\]/g, "[*]");
}

/** "email" for "owner.email", "parcels" for "bien.parcels.2": the last part that is a name. */
function lastName(field) {
  const names = String(field)
    .split(".")
    .filter((part) => !/^\d+$/.test(part));
  return names[names.length - 1];
}

/** Returns the French message of an ApiError, or of any object with code, field and details. */
export function messageFor(error) {
  const entry =
    MESSAGES[`${error.code}:${error.field}`] ??
    MESSAGES[`${error.code}:${anyIndex(error.field)}`] ??
    MESSAGES[`${error.code}:*.${lastName(error.field)}`] ??
    MESSAGES[error.code];
  if (typeof entry === "function") {
    return entry(error.details ?? {});
  }
  return entry ?? error.message ?? "Une erreur inattendue est survenue.";
}

let nextErrorId = 0;

/**
 * Finds the element of `form` that shows errors of an API field, or null. It tries
 * `[data-api-field="person_ids[1]"]`, then the field without its index (`person_ids`), then the
 * last part of a dotted path (`last_day` for `pattern.last_day`). Last, it tries the longest
 * enclosing path (`bien.parcels` for `bien.parcels.1`).
 */
function fieldContainer(form, field) {
  const parts = field.split(".");
  const candidates = [field, field.replace(/\[\d+\]$/, ""), parts[parts.length - 1]];
  for (let length = parts.length - 1; length > 0; length -= 1) {
    candidates.push(parts.slice(0, length).join("."));
  }
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
 * Writes `message` next to `container` and marks its controls invalid. Returns the controls.
 */
function attachMessage(container, message) {
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
  return controls;
}

function focusFirst(controls) {
  const focusTarget =
    controls.find((control) => control.checked && !control.disabled) ??
    controls.find((control) => !control.disabled);
  focusTarget?.focus();
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
    focusFirst(attachMessage(container, message));
  }
  const summary = form.querySelector("[data-resume-erreur]");
  if (summary) {
    const detail = subject ? `${subject} — ${message}` : message;
    summary.replaceChildren(...[intro, detail].filter(Boolean).map((text) => h("p", {}, text)));
  }
  return message;
}

/**
 * Shows several errors at once, such as every missing field of a request: each message next
 * to its field, and all of them in the form's summary, each after its field's label. The
 * focus goes to the first field. `errors` are objects with `code`, `field` and `details`.
 */
export function showErrors(form, errors, intro = "") {
  const lines = [];
  let firstControls = null;
  for (const error of errors) {
    const message = messageFor(error);
    const container = error.field ? fieldContainer(form, error.field) : null;
    if (!container) {
      lines.push(message);
      continue;
    }
    const label = container.querySelector("label, legend")?.textContent?.trim();
    lines.push(label ? `${label} — ${message}` : message);
    const controls = attachMessage(container, message);
    firstControls ??= controls;
  }
  if (firstControls) {
    focusFirst(firstControls);
  }
  const summary = form.querySelector("[data-resume-erreur]");
  if (summary) {
    summary.replaceChildren(
      ...(intro ? [h("p", {}, intro)] : []),
      h(
        "ul",
        {},
        lines.map((line) => h("li", {}, line)),
      ),
    );
  }
}
