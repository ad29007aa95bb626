// Sign-in page. With the "local" provider it lists the embedded stack's demo identities and
// requests a token for the chosen one. With "cognito" it starts, then completes, the hosted UI
// flow.

import config from "./config.js";
import { get, post } from "./js/api.js";
import {
  completeCognitoSignIn,
  pageUrl,
  readSession,
  safeReturnPath,
  saveToken,
  startCognitoSignIn,
} from "./js/auth.js";
import { h, queryParameter, replaceChildren } from "./js/dom.js";
import { messageFor } from "./js/errors.js";
import { startPage } from "./js/shell.js";

const NOTICES = {
  "session-expiree": "Votre session a expiré. Connectez-vous de nouveau pour continuer.",
  "connexion-requise": "Connectez-vous pour accéder à cette page.",
  deconnexion: "Vous êtes déconnecté. À bientôt.",
};

const notice = document.getElementById("avis");
const content = document.getElementById("connexion");

function showNotice(text, kind = "info") {
  notice.className = `encart encart-${kind}`;
  replaceChildren(notice, h("p", {}, text));
}

function goBack(returnPath) {
  const target = safeReturnPath(returnPath) ?? pageUrl("index.html").pathname;
  window.location.assign(target);
}

// Demo identities are grouped as a resident, a notary or an agent would look for themselves.
function groupOf(identity) {
  if (identity.household_id) {
    return "Habitants";
  }
  if ((identity.roles ?? []).includes("notary")) {
    return "Notaires";
  }
  return "Agents et élus";
}

async function signInAs(identity, button) {
  button.disabled = true;
  try {
    const response = await post("/local/token", { identity: identity.id }, { signedIn: false });
    saveToken(response.id_token);
    goBack(queryParameter("retour"));
  } catch (error) {
    button.disabled = false;
    showNotice(`La connexion a échoué. ${messageFor(error)}`, "erreur");
  }
}

async function showLocalIdentities() {
  let identities;
  try {
    ({ identities } = await get("/local/identities", { signedIn: false }));
  } catch (error) {
    const text = `Les identités de démonstration sont indisponibles. ${messageFor(error)}`;
    showNotice(text, "erreur");
    return;
  }
  const groups = new Map();
  for (const identity of identities) {
    const group = groupOf(identity);
    groups.set(group, [...(groups.get(group) ?? []), identity]);
  }
  replaceChildren(
    content,
    h(
      "p",
      {},
      "Version de démonstration : choisissez la personne au nom de laquelle vous vous connectez.",
    ),
    [...groups].map(([group, members]) => [
      h("h2", {}, group),
      h(
        "ul",
        { className: "identites" },
        members.map((identity) => {
          const button = h(
            "button",
            { type: "button", dataset: { identite: identity.id } },
            h("span", { className: "nom" }, identity.name),
            h("span", { className: "description" }, identity.description ?? ""),
          );
          button.addEventListener("click", () => signInAs(identity, button));
          return h("li", {}, button);
        }),
      ),
    ]),
  );
}

async function showCognito() {
  const code = queryParameter("code");
  const state = queryParameter("state");
  const failure = queryParameter("error");
  if (failure) {
    const text = `La connexion a été refusée par le fournisseur d'identité (${failure}).`;
    showNotice(text, "erreur");
  } else if (code && state) {
    try {
      goBack(await completeCognitoSignIn(code, state));
      return;
    } catch {
      const text = "La connexion n'a pas pu être finalisée. Recommencez, s'il vous plaît.";
      showNotice(text, "erreur");
    }
  }
  const button = h("button", { type: "button" }, "Se connecter");
  button.addEventListener("click", () => startCognitoSignIn(queryParameter("retour")));
  replaceChildren(
    content,
    h("p", {}, "Connectez-vous avec votre compte pour accéder à vos démarches."),
    h("div", { className: "actions" }, button),
  );
}

async function main() {
  await startPage({ signIn: false });
  const reason = NOTICES[queryParameter("raison")];
  if (reason) {
    showNotice(reason);
  }
  const session = readSession();
  if (session && !reason) {
    showNotice(`Vous êtes connecté en tant que ${session.name}. Vous pouvez changer de compte.`);
  }
  if (config.identityProvider === "cognito") {
    await showCognito();
  } else {
    await showLocalIdentities();
  }
}

main();
