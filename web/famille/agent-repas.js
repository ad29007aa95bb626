// Meals booked per school on a day, for the kitchen, with a link to each school's list.

import { get } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { messageFor } from "../js/errors.js";
import { addDays, formatDay, isIsoDay, todayInParis } from "../js/format.js";
import { startPage } from "../js/shell.js";

const container = document.getElementById("repas");

function listLink(day, schoolId) {
  const url = new URL("agent-presences.html", window.location.href);
  url.search = new URLSearchParams({ ecole: schoolId, jour: day, activite: "cantine" }).toString();
  return h("a", { href: url.href }, schoolId);
}

async function main() {
  const session = await startPage({ audience: "periscolaire_agent" });
  if (!session) {
    return;
  }
  const requested = queryParameter("jour");
  const day = isIsoDay(requested) ? requested : todayInParis();
  document.getElementById("jour").value = day;
  document.getElementById("titre-jour").textContent = `Repas du ${formatDay(day)}`;
  document.getElementById("jour-precedent").search = `?jour=${addDays(day, -1)}`;
  document.getElementById("jour-suivant").search = `?jour=${addDays(day, 1)}`;
  try {
    const counts = await get("/famille/agent/meal-counts", { query: { day } });
    if (counts.schools.length === 0) {
      replaceChildren(container, h("p", {}, "Aucun repas n'est réservé ce jour-là."));
      return;
    }
    replaceChildren(
      container,
      h(
        "div",
        { className: "tableau" },
        h(
          "table",
          {},
          h("caption", {}, `Repas réservés par école, ${formatDay(day)}`),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "École"),
              h("th", { scope: "col", className: "nombre" }, "Repas"),
              h("th", { scope: "col", className: "nombre" }, "Capacité"),
            ),
          ),
          h(
            "tbody",
            {},
            counts.schools.map((school) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, listLink(day, school.school_id)),
                h("td", { className: "nombre" }, String(school.meals)),
                h("td", { className: "nombre" }, String(school.capacity)),
              ),
            ),
          ),
          h(
            "tfoot",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "row" }, "Total"),
              h("td", { className: "nombre" }, h("strong", {}, String(counts.total))),
              h("td", {}),
            ),
          ),
        ),
      ),
    );
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
