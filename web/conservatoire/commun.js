// Shared parts of the conservatoire pages: the catalogue, and the French names of schools,
// statuses and terms.

import { get } from "../js/api.js";

export const SCHOOL_LABELS = {
  conservatoire: "Conservatoire de musique",
  atelier_art: "Atelier d'art",
};

/** Label and tag class of each enrollment status. */
export const STATUS_LABELS = {
  requested: ["Place réservée, à confirmer", "etiquette-info"],
  offered: ["Place proposée, à confirmer", "etiquette-info"],
  waiting: ["Liste d'attente", ""],
  confirmed: ["Confirmée", "etiquette-succes"],
  refused: ["Refusée", "etiquette-erreur"],
  cancelled: ["Annulée", ""],
};

/** Statuses from which a family or an agent may still cancel an enrollment. */
export const ACTIVE_STATUSES = new Set(["requested", "offered", "waiting", "confirmed"]);

export const TERM_LABELS = {
  trimestre_1: "1er trimestre",
  trimestre_2: "2e trimestre",
  trimestre_3: "3e trimestre",
};

/**
 * "Piano, cycle 1" for a course of the catalogue, or the discipline alone when it already
 * names the level ("Éveil musical", not "Éveil musical, éveil").
 */
export function courseTitle(course) {
  const level = course.level_label.toLowerCase();
  if (course.discipline.toLowerCase().includes(level)) {
    return course.discipline;
  }
  return `${course.discipline}, ${level}`;
}

/**
 * Fetches the catalogue of a school year (`GET /conservatoire/{year}/catalogue`) and returns
 * it with `courses`, a Map from course id to `{ course, school }`.
 */
export async function loadCatalogue(year) {
  const catalogue = await get(`/conservatoire/${encodeURIComponent(year)}/catalogue`, {
    signedIn: false,
  });
  const courses = new Map();
  for (const entry of catalogue.schools) {
    for (const course of entry.courses) {
      courses.set(course.course_id, { course, school: entry.school });
    }
  }
  return { ...catalogue, courses };
}

/** Map from person id to "Prénom Nom" for the members of a profile's household. */
export function personNames(profile) {
  return new Map(
    (profile.household?.persons ?? []).map((person) => [
      person.person_id,
      `${person.first_name} ${person.last_name}`,
    ]),
  );
}
