// Navigation entries of the portail famille (periscolaire) pages, read by the site's header
// and home page. `audience` selects who may see an entry: "household" or a role.

export default {
  id: "famille",
  title: "Portail famille",
  description:
    "Inscrire vos enfants au périscolaire, réserver la garderie et la cantine, " +
    "transmettre votre quotient familial et payer vos factures.",
  staffDescription:
    "Valider les inscriptions périscolaires, suivre les présences et les repas réservés.",
  links: [
    { href: "famille/inscription.html", label: "Inscription de l'année", audience: "household" },
    { href: "famille/quotient.html", label: "Quotient familial", audience: "household" },
    { href: "famille/calendrier.html", label: "Calendrier", audience: "household" },
    { href: "famille/semaine-type.html", label: "Semaine type", audience: "household" },
    { href: "famille/factures.html", label: "Factures", audience: "household" },
    {
      href: "famille/agent-inscriptions.html",
      label: "Inscriptions à valider",
      audience: "periscolaire_agent",
    },
    {
      href: "famille/agent-presences.html",
      label: "Listes et présences",
      audience: "periscolaire_agent",
    },
    { href: "famille/agent-repas.html", label: "Repas du jour", audience: "periscolaire_agent" },
  ],
};
