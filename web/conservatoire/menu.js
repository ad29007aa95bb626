// Navigation entries of the conservatoire and atelier d'art pages, read by the site's header
// and home page. `audience` selects who may see an entry: "public", "household" or a role.

export default {
  id: "conservatoire",
  title: "Conservatoire",
  description:
    "Consulter les cours du conservatoire de musique et de l'atelier d'art, inscrire un " +
    "membre de votre foyer et suivre ses évaluations.",
  staffDescription: "Gérer les cours, leurs élèves et les évaluations de chaque trimestre.",
  links: [
    { href: "conservatoire/catalogue.html", label: "Catalogue des cours", audience: "public" },
    { href: "conservatoire/inscription.html", label: "Inscrire", audience: "household" },
    {
      href: "conservatoire/inscriptions.html",
      label: "Mes inscriptions",
      audience: "household",
    },
    { href: "conservatoire/evaluations.html", label: "Évaluations", audience: "household" },
    {
      href: "conservatoire/gestion.html",
      label: "Gestion des cours",
      audience: "conservatoire_agent",
    },
    { href: "conservatoire/classes.html", label: "Mes classes", audience: "teacher" },
  ],
};
