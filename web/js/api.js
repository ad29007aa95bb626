// The one way pages call the JSON API: base URL from config.js, the session's ID token as a
// bearer token, API errors as ApiError, and a 401 sends the browser back to sign-in.

import config from "../config.js";
import { clearSession, readSession, redirectToSignIn } from "./auth.js";

/** An error body of the API, `{"code", "message", "field"?, "details"?}`, with its status. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = body?.code ?? "error";
    this.field = body?.field ?? null;
    this.details = body?.details ?? {};
  }
}

/** Absolute URL of an API path such as "/me", with query parameters. */
export function apiUrl(path, query = {}) {
  const url = new URL(config.apiBaseUrl + path, window.location.href);
  for (const [name, value] of Object.entries(query)) {
    url.searchParams.set(name, value);
  }
  return url;
}

/**
 * Sends a request and returns the parsed JSON body, or throws ApiError. With `signedIn`
 * (the default) the session's token is sent, and a missing session or a 401 response sends
 * the browser to the sign-in page, which brings it back here afterwards.
 */
export async function request(method, path, options = {}) {
  const { query = {}, body, headers = {}, signedIn = true } = options;
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (signedIn) {
    const session = readSession();
    if (!session) {
      redirectToSignIn("connexion-requise");
      throw new ApiError(401, { code: "token_missing", message: "sign in first" });
    }
    init.headers.Authorization = `Bearer ${session.idToken}`;
  }
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(apiUrl(path, query), init);
  } catch (cause) {
    throw new ApiError(0, { code: "network_error", message: String(cause) });
  }
  const data = await response.json().catch(() => null);
  if (response.status === 401 && signedIn) {
    clearSession();
    redirectToSignIn("session-expiree");
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

export const get = (path, options) => request("GET", path, options);
export const post = (path, body, options = {}) => request("POST", path, { ...options, body });
export const put = (path, body, options = {}) => request("PUT", path, { ...options, body });
export const remove = (path, options) => request("DELETE", path, options);

let profilePromise = null;

/** Returns the caller's profile (`GET /me`), fetched once per page load. */
export function fetchProfile() {
  profilePromise ??= get("/me").catch((error) => {
    profilePromise = null;
    throw error;
  });
  return profilePromise;
}
