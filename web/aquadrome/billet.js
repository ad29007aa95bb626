// The ticket of a booking: its QR code and reference, to show on a phone or print.

import { fetchProfile, get } from "../js/api.js";
import { h, queryParameter, replaceChildren } from "../js/dom.js";
import { messageFor } from "../js/errors.js";
import { formatSession } from "../js/format.js";
import { startPage } from "../js/shell.js";

const container = document.getElementById("billet");

function showFailure(text) {
  replaceChildren(
    container,
    h("div", { className: "encart encart-erreur", role: "alert" }, h("p", {}, text)),
  );
}

async function main() {
  const session = await startPage({ audience: "household" });
  if (!session) {
    return;
  }
  const bookingId = queryParameter("reservation");
  if (!bookingId) {
    showFailure("Aucune réservation n'est indiquée. Ouvrez le billet depuis vos réservations.");
    container.removeAttribute("aria-busy");
    return;
  }
  const path = `/aquadrome/bookings/${encodeURIComponent(bookingId)}`;
  try {
    const [booking, ticket, profile] = await Promise.all([
      get(path),
      get(`${path}/ticket`),
      fetchProfile(),
    ]);
    const names = new Map(
      (profile.household?.persons ?? []).map((person) => [
        person.person_id,
        `${person.first_name} ${person.last_name}`,
      ]),
    );
    const persons = booking.person_ids.map((id) => names.get(id) ?? id);
    const print = h(
      "button",
      { type: "button", className: "bouton-secondaire" },
      "Imprimer le billet",
    );
    print.addEventListener("click", () => window.print());
    replaceChildren(
      container,
      h(
        "section",
        { className: "billet", "aria-labelledby": "billet-seance" },
        h(
          "h2",
          { id: "billet-seance" },
          formatSession(booking.starts_at, booking.ends_at),
        ),
        h("p", {}, `${persons.length > 1 ? "Entrée pour" : "Entrée de"} ${persons.join(", ")}`),
        h("img", {
          src: ticket.qr_png,
          alt: "QR code du billet, à présenter à l'accueil de l'Aquadrome",
          width: "256",
          height: "256",
        }),
        h(
          "p",
          {},
          "Référence du billet, à donner à l'accueil si le QR code ne peut pas être lu :",
        ),
        h("p", { className: "reference", id: "reference" }, ticket.reference),
      ),
      h(
        "p",
        {},
        "Présentez ce billet à l'accueil le jour de la séance. Il n'est valable qu'une fois.",
      ),
      h("div", { className: "actions ne-pas-imprimer" }, print),
    );
  } catch (error) {
    showFailure(messageFor(error));
  } finally {
    container.removeAttribute("aria-busy");
  }
}

main();
