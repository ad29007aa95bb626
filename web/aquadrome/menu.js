// Navigation entries of the aquadrome pages, read by the site's header and home page.
// `audience` selects who sees an entry: "household" (a resident with a household) or a role.

export default {
  id: "aquadrome",
  title: "Aquadrome",
  description:
    "Réserver une séance de baignade pour les membres de votre foyer " +
    "et présenter le billet à l'entrée.",
  staffDescription: "Contrôler les billets à l'entrée et suivre la fréquentation des séances.",
  links: [
    { href: "aquadrome/seances.html", label: "Réserver une séance", audience: "household" },
    { href: "aquadrome/reservations.html", label: "Mes réservations", audience: "household" },
    {
      href: "aquadrome/controle.html",
      label: "Contrôle des entrées",
      audience: "aquadrome_agent",
    },
    { href: "aquadrome/frequentation.html", label: "Fréquentation", audience: "aquadrome_agent" },
  ],
};
