// Sign-in and the session: an OpenID Connect ID token kept in sessionStorage, so it lasts as
// long as the tab and is never sent as a cookie. The provider comes from config.js:
// "local" requests a demo token from the embedded stack, and "cognito" runs the authorization
// code flow with PKCE against the Cognito hosted UI.

import config from "../config.js";

const SESSION_KEY = "demarches.session";
const PKCE_KEY = "demarches.pkce";
// A token this close to its expiry is dropped, so a request does not leave with a token that
// expires on the way.
const EXPIRY_MARGIN_MS = 30_000;

/** URL of the folder that contains index.html, whatever page imports this module. */
export const WEB_ROOT = new URL("../", import.meta.url);

/** Absolute URL of a page given relative to the web root, such as "profil.html". */
export function pageUrl(relative) {
  return new URL(relative, WEB_ROOT);
}

function base64UrlDecode(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function base64UrlEncode(bytes) {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(byteCount) {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/**
 * Reads the claims of a JWT without checking its signature. The API checks every token, so
 * the pages only use the claims for display and navigation.
 */
export function decodeClaims(token) {
  const payload = token.split(".")[1];
  if (!payload) {
    throw new Error("the token is not a JWT");
  }
  return JSON.parse(base64UrlDecode(payload));
}

function sessionFromToken(idToken) {
  const claims = decodeClaims(idToken);
  const groups = claims["cognito:groups"] ?? [];
  return {
    idToken,
    expiresAt: claims.exp * 1000,
    name: claims.name ?? claims.email ?? claims.sub,
    householdId: claims["custom:household_id"] ?? null,
    // Notary's office of the account, on notaries' accounts only.
    officeId: claims["custom:office_id"] ?? null,
    // Teacher id of the conservatoire catalogue, on teachers' accounts only.
    teacherId: claims["custom:teacher_id"] ?? null,
    roles: Array.isArray(groups) ? groups : [groups],
  };
}

/** Stores an ID token as the session of this tab and returns the session. */
export function saveToken(idToken) {
  const session = sessionFromToken(idToken);
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ idToken }));
  return session;
}

/** Returns the current session, or null when no one is signed in or the token has expired. */
export function readSession() {
  const stored = sessionStorage.getItem(SESSION_KEY);
  if (!stored) {
    return null;
  }
  try {
    const session = sessionFromToken(JSON.parse(stored).idToken);
    if (session.expiresAt - EXPIRY_MARGIN_MS > Date.now()) {
      return session;
    }
  } catch {
    // A damaged entry counts as no session.
  }
  clearSession();
  return null;
}

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Path of the current page, to come back to after signing in. */
function currentPath() {
  return window.location.pathname + window.location.search;
}

/**
 * Returns `path` when it is a page of this site, else null, so the sign-in page never sends
 * the browser to another origin (an open redirect).
 */
export function safeReturnPath(path) {
  if (!path) {
    return null;
  }
  let target;
  try {
    target = new URL(path, WEB_ROOT);
  } catch {
    return null;
  }
  if (target.origin !== WEB_ROOT.origin || !target.pathname.startsWith(WEB_ROOT.pathname)) {
    return null;
  }
  return target.pathname + target.search + target.hash;
}

/** Sends the browser to the sign-in page; `reason` selects the notice shown there. */
export function redirectToSignIn(reason) {
  const url = pageUrl("connexion.html");
  url.searchParams.set("retour", currentPath());
  if (reason) {
    url.searchParams.set("raison", reason);
  }
  window.location.assign(url);
}

function cognitoSettings() {
  const settings = config.cognito;
  if (!settings?.domain || !settings?.clientId) {
    throw new Error('config.js: identityProvider "cognito" needs cognito.domain and clientId');
  }
  return {
    domain: settings.domain.replace(/\/+$/, ""),
    clientId: settings.clientId,
    scopes: settings.scopes ?? ["openid", "email", "profile"],
    // Must be listed, exactly, in the user pool client's callback URLs.
    redirectUri: pageUrl("connexion.html").href,
  };
}

/** Opens the Cognito hosted UI; the browser comes back to connexion.html with a code. */
export async function startCognitoSignIn(returnPath) {
  const settings = cognitoSettings();
  const verifier = randomString(32);
  const state = randomString(16);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnPath }));

  const url = new URL(`${settings.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: settings.scopes.join(" "),
    state,
    code_challenge: base64UrlEncode(digest),
    code_challenge_method: "S256",
  }).toString();
  window.location.assign(url);
}

/**
 * Exchanges the authorization code of the hosted UI's redirect for tokens, stores the ID
 * token and returns the page to go back to. Throws when the state does not match the one
 * this tab sent, which rejects a forged redirect.
 */
export async function completeCognitoSignIn(code, state) {
  const settings = cognitoSettings();
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? "null");
  sessionStorage.removeItem(PKCE_KEY);
  if (!pending || pending.state !== state) {
    throw new Error("the sign-in state does not match the request this tab sent");
  }
  const response = await fetch(`${settings.domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: settings.clientId,
      code,
      redirect_uri: settings.redirectUri,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) {
    throw new Error(`the token endpoint returned HTTP ${response.status}`);
  }
  const tokens = await response.json();
  saveToken(tokens.id_token);
  return pending.returnPath;
}

/** Ends the session of this tab, and the hosted UI's session when Cognito is used. */
export function signOut() {
  clearSession();
  if (config.identityProvider === "cognito") {
    const settings = cognitoSettings();
    const url = new URL(`${settings.domain}/logout`);
    url.search = new URLSearchParams({
      client_id: settings.clientId,
      logout_uri: settings.redirectUri,
    }).toString();
    window.location.assign(url);
    return;
  }
  const url = pageUrl("connexion.html");
  url.searchParams.set("raison", "deconnexion");
  window.location.assign(url);
}
