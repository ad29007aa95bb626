// Settings of this deployment, read by every page. The values below are those of the embedded
// stack (`python -m infra.local run`). On AWS, replace this file with the stack's values, as
// web/README.md describes.
export default {
  // Base URL of the JSON API, without a trailing slash. Empty: the pages' own origin.
  apiBaseUrl: "",
  // "local": demo identities of the embedded stack. "cognito": the Cognito hosted UI.
  identityProvider: "local",
  // Used when identityProvider is "cognito", for example:
  // cognito: {
  //   domain: "https://demarches-prod.auth.eu-west-3.amazoncognito.com",
  //   clientId: "1example23456789",
  //   scopes: ["openid", "email", "profile"],
  // },
  cognito: null,
};
