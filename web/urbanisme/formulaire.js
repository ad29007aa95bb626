// The cerfa request as a form: sections of fields described by their dotted path in the
// request (`bien.address.postcode`), built from these descriptions, filled from a stored
// request and read back into the request the API expects. Every field may stay empty in a
// draft; the API lists what is missing at submission.

import { h } from "../js/dom.js";

const YES_NO = [
  ["true", "Oui"],
  ["false", "Non"],
];

function address(base, legend) {
  return {
    group: legend,
    path: base,
    fields: [
      { path: `${base}.street`, label: "Numéro et voie", autocomplete: "address-line1" },
      { path: `${base}.locality`, label: "Lieu-dit ou complément (facultatif)" },
      { path: `${base}.postcode`, label: "Code postal", inputmode: "numeric", width: "court" },
      { path: `${base}.city`, label: "Commune" },
    ],
  };
}

function party(base) {
  return [
    {
      path: `${base}.kind`,
      label: "Il s'agit",
      type: "radio",
      options: [
        ["person", "d'une personne"],
        ["company", "d'une société ou d'une personne morale"],
      ],
    },
    {
      group: "Personne",
      path: `${base}.person`,
      when: [`${base}.kind`, "person"],
      fields: [
        {
          path: `${base}.civility`,
          label: "Civilité",
          type: "select",
          options: [
            ["", "Non précisée"],
            ["madame", "Madame"],
            ["monsieur", "Monsieur"],
          ],
        },
        { path: `${base}.last_name`, label: "Nom" },
        { path: `${base}.first_name`, label: "Prénom" },
      ],
    },
    {
      group: "Société",
      path: `${base}.company`,
      when: [`${base}.kind`, "company"],
      fields: [
        { path: `${base}.company_name`, label: "Dénomination" },
        { path: `${base}.legal_form`, label: "Forme juridique (SCI, SARL…)" },
        {
          path: `${base}.siret`,
          label: "SIRET",
          help: "14 chiffres, sur le Kbis ou l'avis de situation de l'INSEE.",
          inputmode: "numeric",
        },
        { path: `${base}.representative.last_name`, label: "Nom du représentant" },
        { path: `${base}.representative.first_name`, label: "Prénom du représentant" },
        { path: `${base}.representative.capacity`, label: "Qualité du représentant (gérant…)" },
      ],
    },
    address(`${base}.address`, "Adresse"),
    { path: `${base}.email`, label: "Courriel", type: "email", autocomplete: "email" },
    { path: `${base}.phone`, label: "Téléphone (facultatif)", type: "tel" },
  ];
}

function site(base, title) {
  return [
    {
      path: `${base}.code_insee`,
      label: "Code INSEE de la commune",
      help: "5 caractères, par exemple 55545 pour Verdun. Ce n'est pas le code postal.",
      width: "court",
    },
    address(`${base}.address`, `Adresse ${title}`),
    {
      path: `${base}.parcels`,
      label: "Parcelles cadastrales",
      type: "lines",
      help:
        "Une référence par ligne : code INSEE, préfixe, section et numéro, par exemple " +
        "55545 000 AB 0123.",
    },
    {
      path: `${base}.land_area_m2`,
      label: "Superficie du terrain, en m²",
      type: "integer",
      width: "court",
    },
  ];
}

/** Sections of the form of each request type: a title and its fields. */
export const SECTIONS = {
  CUa: [
    { title: "Demandeur", fields: party("applicant") },
    { title: "Terrain", fields: site("land", "du terrain") },
  ],
  CUb: [
    { title: "Demandeur", fields: party("applicant") },
    { title: "Terrain", fields: site("land", "du terrain") },
    {
      title: "Opération projetée",
      fields: [
        { path: "operation.description", label: "Description des travaux", type: "textarea" },
        {
          path: "operation.planned_floor_area_m2",
          label: "Surface de plancher projetée, en m² (facultatif)",
          type: "integer",
          width: "court",
        },
        {
          path: "operation.existing_buildings",
          label: "Le terrain porte-t-il déjà des bâtiments ?",
          type: "radio",
          options: YES_NO,
        },
      ],
    },
  ],
  DIA: [
    { title: "Propriétaire du bien", fields: party("owner") },
    {
      title: "Bien vendu",
      fields: [
        ...site("bien", "du bien"),
        { path: "bien.built", label: "Le bien est-il bâti ?", type: "radio", options: YES_NO },
        {
          path: "bien.floor_area_m2",
          label: "Surface utile ou habitable, en m² (bien bâti)",
          type: "integer",
          width: "court",
        },
        { path: "bien.occupied", label: "Le bien est-il occupé ?", type: "radio", options: YES_NO },
      ],
    },
    {
      title: "Prix et conditions de la vente",
      fields: [
        { path: "sale.price_cents", label: "Prix de vente, en euros", type: "money" },
        {
          path: "sale.furniture_price_cents",
          label: "Prix du mobilier, en euros (facultatif)",
          type: "money",
        },
        {
          path: "sale.agent_commission_cents",
          label: "Commission d'agence à la charge de l'acquéreur, en euros (facultatif)",
          type: "money",
        },
        {
          path: "sale.payment_mode",
          label: "Modalités de paiement",
          type: "select",
          options: [
            ["", "Choisissez"],
            ["comptant", "Comptant"],
            ["a_terme", "À terme"],
            ["rente_viagere", "Rente viagère"],
            ["echange", "Échange"],
            ["apport_en_societe", "Apport en société"],
            ["autre", "Autre"],
          ],
        },
        {
          path: "sale.payment_details",
          label: "Précisions sur le paiement (sauf comptant)",
          type: "textarea",
        },
      ],
    },
    {
      title: "Office notarial",
      intro: "Rempli d'après l'office de votre compte ; corrigez ce qui a changé.",
      fields: [
        { path: "notary.office_name", label: "Nom de l'office" },
        { path: "notary.notary_name", label: "Notaire" },
        { path: "notary.siret", label: "SIRET de l'office", inputmode: "numeric" },
        address("notary.address", "Adresse de l'office"),
        { path: "notary.email", label: "Courriel de l'office", type: "email" },
        { path: "notary.phone", label: "Téléphone (facultatif)", type: "tel" },
      ],
    },
  ],
};

const idOf = (path) => `champ-${path.replace(/\./g, "-")}`;

function fieldElement(field) {
  const id = idOf(field.path);
  const helpId = field.help ? `${id}-aide` : null;
  const help = field.help ? h("span", { className: "aide", id: helpId }, field.help) : null;
  const common = { id, name: field.path, "aria-describedby": helpId };
  if (field.type === "radio") {
    return h(
      "fieldset",
      { className: "sans-cadre", "data-api-field": field.path },
      h("legend", {}, field.label),
      help,
      h(
        "div",
        { className: "choix-en-ligne" },
        field.options.map(([value, label]) =>
          h(
            "div",
            { className: "choix" },
            h("input", { type: "radio", id: `${id}-${value}`, name: field.path, value }),
            h("label", { for: `${id}-${value}` }, label),
          ),
        ),
      ),
    );
  }
  let control;
  if (field.type === "select") {
    control = h(
      "select",
      common,
      field.options.map(([value, label]) => h("option", { value }, label)),
    );
  } else if (field.type === "textarea" || field.type === "lines") {
    control = h("textarea", { ...common, rows: field.type === "lines" ? "3" : "4" });
  } else {
    control = h("input", {
      ...common,
      type: field.type === "email" || field.type === "tel" ? field.type : "text",
      inputmode:
        field.inputmode ?? (field.type === "integer" || field.type === "money" ? "decimal" : null),
      autocomplete: field.autocomplete ?? null,
      className: field.width === "court" ? "champ-court" : null,
    });
  }
  return h(
    "div",
    { className: "champ", "data-api-field": field.path },
    h("label", { for: id }, field.label),
    help,
    control,
  );
}

function groupElement(group) {
  return h(
    "fieldset",
    { "data-api-field": group.path, dataset: group.when ? { quand: group.when.join("=") } : {} },
    h("legend", {}, group.group),
    group.fields.map(fieldElement),
  );
}

/** Builds the sections of a request type, each a titled fieldset of fields. */
export function buildSections(type) {
  return SECTIONS[type].map((section, index) =>
    h(
      "section",
      { className: "section-formulaire", "aria-labelledby": `section-${index + 1}` },
      h("h2", { id: `section-${index + 1}` }, section.title),
      section.intro ? h("p", {}, section.intro) : null,
      section.fields.map((field) => (field.group ? groupElement(field) : fieldElement(field))),
    ),
  );
}

/** Shows the person or the company fields of a party, after its kind radio. */
export function updateConditionalGroups(form) {
  for (const group of form.querySelectorAll("fieldset[data-quand]")) {
    const [path, value] = group.dataset.quand.split("=");
    const chosen = form.querySelector(`input[name="${CSS.escape(path)}"]:checked`)?.value;
    group.hidden = chosen !== value;
  }
}

function allFields(type) {
  const fields = [];
  const visit = (field) => (field.group ? field.fields.forEach(visit) : fields.push(field));
  for (const section of SECTIONS[type]) {
    section.fields.forEach(visit);
  }
  return fields;
}

function getPath(object, path) {
  return path.split(".").reduce((value, key) => value?.[key], object);
}

function setPath(object, path, value) {
  const keys = path.split(".");
  let target = object;
  for (const key of keys.slice(0, -1)) {
    target[key] ??= {};
    target = target[key];
  }
  target[keys[keys.length - 1]] = value;
}

function formatCents(cents) {
  const euros = cents / 100;
  return euros.toLocaleString("fr-FR", { maximumFractionDigits: 2, useGrouping: false });
}

/** Fills the form with a stored request (`DossierOut.request`). */
export function fillForm(form, type, request) {
  for (const field of allFields(type)) {
    const value = getPath(request, field.path);
    if (field.type === "radio") {
      for (const radio of form.querySelectorAll(`input[name="${CSS.escape(field.path)}"]`)) {
        radio.checked = value !== undefined && radio.value === String(value);
      }
      continue;
    }
    const control = form.elements.namedItem(field.path);
    if (value === undefined || value === null) {
      control.value = "";
    } else if (field.type === "lines") {
      control.value = value.join("\n");
    } else if (field.type === "money") {
      control.value = formatCents(value);
    } else {
      control.value = String(value);
    }
  }
  updateConditionalGroups(form);
}

/** Returns a boolean for the value of a yes-no radio, else the value itself. */
function radioValue(text) {
  if (text === "true") {
    return true;
  }
  if (text === "false") {
    return false;
  }
  return text;
}

function parseNumber(text) {
  const compact = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  return /^\d+(\.\d{1,2})?$/.test(compact) ? Number(compact) : null;
}

/**
 * Reads the request from the form: empty fields are left out, as are the fields of a
 * hidden group (the company of a person). Returns `{request, errors}`, where `errors` lists
 * the amounts and areas that are not numbers, as errors for showErrors.
 */
export function readForm(form, type) {
  const request = { type };
  const errors = [];
  for (const field of allFields(type)) {
    const element = form.querySelector(`[data-api-field="${CSS.escape(field.path)}"]`);
    if (element?.closest("fieldset[hidden]")) {
      continue;
    }
    if (field.type === "radio") {
      const chosen = form.querySelector(`input[name="${CSS.escape(field.path)}"]:checked`);
      if (chosen) {
        setPath(request, field.path, radioValue(chosen.value));
      }
      continue;
    }
    const text = form.elements.namedItem(field.path).value.trim();
    if (!text) {
      continue;
    }
    if (field.type === "lines") {
      setPath(
        request,
        field.path,
        text
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean),
      );
    } else if (field.type === "integer") {
      const number = parseNumber(text);
      if (number === null || !Number.isInteger(number)) {
        errors.push({ code: "area_invalid", field: field.path });
      } else {
        setPath(request, field.path, number);
      }
    } else if (field.type === "money") {
      const number = parseNumber(text);
      if (number === null) {
        errors.push({ code: "amount_invalid", field: field.path });
      } else {
        setPath(request, field.path, Math.round(number * 100));
      }
    } else {
      setPath(request, field.path, text);
    }
  }
  return { request, errors };
}
