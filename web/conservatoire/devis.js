// The fee quote of a household (`FeeQuoteOut`) as a table: one line per course, with its
// reductions, and the annual total.

import { h } from "../js/dom.js";
import { formatEuros } from "../js/format.js";

function reductionsText(line) {
  if (line.reductions.length === 0) {
    return "—";
  }
  return line.reductions
    .map((reduction) => `${reduction.label} (−${reduction.percent} %)`)
    .join(", ");
}

function quotientText(quote) {
  const residence = quote.resident
    ? "Foyer résidant dans l'agglomération."
    : "Foyer hors de l'agglomération : tarif des non-résidents.";
  if (quote.quotient_familial === null) {
    return (
      `${residence} Quotient familial inconnu du portail famille : ` +
      `tarif de la tranche ${quote.bracket}.`
    );
  }
  return (
    `${residence} Quotient familial de ${quote.quotient_familial} € par mois : ` +
    `tranche ${quote.bracket}.`
  );
}

/**
 * Builds the quote: a sentence on the household's bracket, then the table. `names` maps
 * person ids to names. A line without enrollment id is the course being requested.
 */
export function quoteTable(quote, names, caption) {
  const rows = quote.lines.map((line) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, names.get(line.person_id) ?? line.person_id),
      h(
        "td",
        {},
        line.label,
        line.enrollment_id === null
          ? h("span", { className: "etiquette etiquette-info" }, "cette demande")
          : null,
      ),
      h("td", { className: "nombre" }, formatEuros(line.base_cents)),
      h("td", {}, reductionsText(line)),
      h("td", { className: "nombre" }, formatEuros(line.amount_cents)),
    ),
  );
  return [
    h("p", {}, quotientText(quote)),
    h(
      "div",
      { className: "tableau" },
      h(
        "table",
        {},
        h("caption", {}, caption),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Élève"),
            h("th", { scope: "col" }, "Cours"),
            h("th", { scope: "col", className: "nombre" }, "Tarif de base"),
            h("th", { scope: "col" }, "Réductions"),
            h("th", { scope: "col", className: "nombre" }, "Montant annuel"),
          ),
        ),
        h("tbody", {}, rows),
        h(
          "tfoot",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "row", colspan: "4" }, "Total annuel"),
            h("td", { className: "nombre" }, h("strong", {}, formatEuros(quote.total_cents))),
          ),
        ),
      ),
    ),
  ];
}
