// Profile page: the signed-in account and its household's members (`GET /me`).

import { fetchProfile } from "./js/api.js";
import { h, replaceChildren } from "./js/dom.js";
import { messageFor } from "./js/errors.js";
import { formatBirthDate } from "./js/format.js";
import { startPage } from "./js/shell.js";

// Role names of the identity provider, as agents call their job.
const ROLE_LABELS = {
  aquadrome_agent: "Agent de l'Aquadrome",
  periscolaire_agent: "Agent du service périscolaire",
  conservatoire_agent: "Agent du conservatoire",
  urbanisme_agent: "Instructeur du service urbanisme",
  teacher: "Enseignant du conservatoire",
  notary: "Notaire",
  signatory: "Élu signataire",
};

const PERSON_ROLES = { adult: "Adulte", child: "Enfant" };

function details(rows) {
  return h(
    "dl",
    { className: "details" },
    rows
      .filter(([, value]) => value)
      .map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
  );
}

function householdSection(household) {
  if (!household) {
    return [
      h("h2", {}, "Foyer"),
      h("p", {}, "Aucun foyer n'est rattaché à ce compte."),
    ];
  }
  return [
    h("h2", {}, household.name),
    details([
      [
        "Adresse",
        [household.address, `${household.postcode} ${household.commune_name ?? ""}`.trim()].join(
          ", ",
        ),
      ],
      ["Courriel du foyer", household.email],
    ]),
    h(
      "div",
      { className: "tableau" },
      h(
        "table",
        {},
        h("caption", {}, `Membres du foyer (${household.persons.length})`),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Nom", "Date de naissance", "Statut", "Scolarité"].map((label) =>
              h("th", { scope: "col" }, label),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          household.persons.map((person) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, `${person.first_name} ${person.last_name}`),
              h("td", {}, formatBirthDate(person.birth_date)),
              h("td", {}, PERSON_ROLES[person.role] ?? person.role),
              h("td", {}, person.school_class ?? "—"),
            ),
          ),
        ),
      ),
    ),
  ];
}

async function main() {
  const session = await startPage();
  if (!session) {
    return;
  }
  const container = document.getElementById("profil");
  try {
    const profile = await fetchProfile();
    replaceChildren(
      container,
      h("h2", {}, "Compte"),
      details([
        ["Nom", profile.name],
        ["Courriel", profile.email],
        ["Habilitations", profile.roles.map((role) => ROLE_LABELS[role] ?? role).join(", ")],
      ]),
      householdSection(profile.household),
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
