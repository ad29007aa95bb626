// The household's invoices, latest first: lines, PDF download and online payment through
// PayFiP, which sends the payer back to this page.

import { get, post } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import {
  formatBirthDate,
  formatDay,
  formatEuros,
  formatInstant,
  formatMonth,
} from "../js/format.js";
import { startPage } from "../js/shell.js";

const container = document.getElementById("factures");
const result = document.getElementById("resultat");

let sending = false;

function linesTable(invoice) {
  return h(
    "div",
    { className: "tableau" },
    h(
      "table",
      {},
      h("caption", {}, `Séances facturées en ${formatMonth(invoice.month)}`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Jour"),
          h("th", { scope: "col" }, "Enfant"),
          h("th", { scope: "col" }, "Activité"),
          h("th", { scope: "col" }, "Tranche"),
          h("th", { scope: "col", className: "nombre" }, "Montant"),
        ),
      ),
      h(
        "tbody",
        {},
        invoice.lines.map((line) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, formatDay(line.day)),
            h("td", {}, line.child_name),
            h("td", {}, line.activity_label),
            h("td", {}, line.bracket),
            h("td", { className: "nombre" }, formatEuros(line.amount_cents)),
          ),
        ),
      ),
      h(
        "tfoot",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "row", colspan: "4" }, "Total"),
          h("td", { className: "nombre" }, h("strong", {}, formatEuros(invoice.total_cents))),
        ),
      ),
    ),
  );
}

async function download(form, invoice) {
  clearErrors(form);
  try {
    const link = await get(`/famille/invoices/${encodeURIComponent(invoice.invoice_number)}/pdf`);
    window.location.assign(link.url);
  } catch (error) {
    showError(form, error, "La facture n'a pas pu être téléchargée.");
  }
}

async function pay(form, invoice) {
  if (sending) {
    return;
  }
  clearErrors(form);
  sending = true;
  const back = new URL(window.location.href);
  back.search = new URLSearchParams({ paiement: invoice.invoice_number }).toString();
  try {
    const payment = await post(
      `/famille/invoices/${encodeURIComponent(invoice.invoice_number)}/payments`,
      { return_url: back.href },
    );
    window.location.assign(payment.redirect_url);
  } catch (error) {
    sending = false;
    showError(form, error, "Le paiement n'a pas pu commencer.");
  }
}

function invoiceCard(invoice) {
  const paid = invoice.status === "paid";
  const headingId = `facture-${invoice.invoice_number}`;
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": headingId },
    h("div", { "data-resume-erreur": true, role: "alert" }),
    h(
      "div",
      { className: "actions", "data-api-field": "invoice_number" },
      invoice.pdf_ready
        ? h(
            "button",
            {
              type: "button",
              className: "bouton-secondaire",
              onClick: () => download(form, invoice),
            },
            "Télécharger la facture (PDF)",
          )
        : h("p", { className: "aide" }, "Le PDF de la facture est en préparation."),
      paid
        ? null
        : h(
            "button",
            { type: "button", onClick: () => pay(form, invoice) },
            `Payer ${formatEuros(invoice.total_cents)} en ligne`,
          ),
    ),
  );
  return h(
    "article",
    { className: "reservation" },
    h(
      "h2",
      { id: headingId },
      `Facture de ${formatMonth(invoice.month)}`,
      h(
        "span",
        { className: `etiquette ${paid ? "etiquette-succes" : "etiquette-info"}` },
        paid ? "Payée" : "À payer",
      ),
    ),
    h(
      "dl",
      { className: "details" },
      h("dt", {}, "Numéro"),
      h("dd", {}, invoice.invoice_number),
      h("dt", {}, "Émise le"),
      h("dd", {}, formatBirthDate(invoice.issued_on)),
      h("dt", {}, paid ? "Payée le" : "À payer avant le"),
      h(
        "dd",
        {},
        paid && invoice.paid_at ? formatInstant(invoice.paid_at) : formatBirthDate(invoice.due_on),
      ),
      h("dt", {}, "Montant"),
      h("dd", {}, formatEuros(invoice.total_cents)),
    ),
    h("details", {}, h("summary", {}, "Détail des séances"), linesTable(invoice)),
    form,
  );
}

function returnNotice(invoices) {
  const number = queryParameter("paiement");
  if (!number) {
    return;
  }
  const invoice = invoices.find((item) => item.invoice_number === number);
  const text =
    invoice?.status === "paid"
      ? `Paiement reçu : la facture ${number} est payée. Merci.`
      : `Le paiement de la facture ${number} n'est pas confirmé. Si vous l'avez abandonné, ` +
        "vous pouvez recommencer.";
  replaceChildren(result, h("p", {}, text));
}

async function main() {
  const session = await startPage({ audience: "household" });
  if (!session) {
    return;
  }
  try {
    const { invoices } = await get("/famille/invoices");
    returnNotice(invoices);
    replaceChildren(
      container,
      invoices.length > 0
        ? invoices.map(invoiceCard)
        : h("p", {}, "Votre foyer n'a encore reçu aucune facture."),
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
