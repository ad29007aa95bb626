// The school year a page shows, from its `annee` query parameter, and the links to the
// neighbouring years. Pages of the conservatoire and of the portail famille share it.

import { queryParameter } from "./dom.js";
import { isSchoolYear, schoolYearOf, shiftSchoolYear, todayInParis } from "./format.js";

/**
 * Returns the school year the page shows: the `annee` query parameter when valid, else a
 * default. Families enroll and register for the next school year before September (the
 * conservatoire's re-enrollment opens in late May), so from May to August the default of an
 * enrollment page (`forEnrollment`) is the coming year. Otherwise it is the current one, which
 * runs from 1 September to 31 August.
 */
export function pageSchoolYear({ forEnrollment = false } = {}) {
  const requested = queryParameter("annee");
  if (isSchoolYear(requested)) {
    return requested;
  }
  const today = todayInParis();
  const month = Number(today.slice(5, 7));
  const current = schoolYearOf(today);
  return forEnrollment && month >= 5 && month < 9 ? shiftSchoolYear(current, 1) : current;
}

/**
 * Points the links `#annee-precedente` and `#annee-suivante` of the page at the same page for
 * the neighbouring school years, keeping the other query parameters.
 */
export function linkNeighbourYears(year) {
  for (const [id, count] of [
    ["annee-precedente", -1],
    ["annee-suivante", 1],
  ]) {
    const link = document.getElementById(id);
    if (!link) {
      continue;
    }
    const url = new URL(window.location.href);
    url.searchParams.set("annee", shiftSchoolYear(year, count));
    link.href = url.href;
  }
}
