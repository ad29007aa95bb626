// Navigation entries of the urbanism pages, read by the site's header and home page.
// `audience` selects who may see an entry: "household", a role, or a list of either.

const APPLICANTS = ["household", "notary"];

export default {
  id: "urbanisme",
  title: "Urbanisme",
  description:
    "Demander un certificat d'urbanisme, déposer une déclaration d'intention d'aliéner " +
    "(notaires) et suivre chaque demande jusqu'à la décision signée.",
  links: [
    { href: "urbanisme/demande.html", label: "Nouvelle demande", audience: APPLICANTS },
    { href: "urbanisme/demandes.html", label: "Mes demandes", audience: APPLICANTS },
    {
      href: "urbanisme/instruction.html",
      label: "Dossiers à instruire",
      audience: "urbanisme_agent",
    },
    { href: "urbanisme/signature.html", label: "Décisions à signer", audience: "signatory" },
  ],
};
