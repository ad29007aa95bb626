// Accessibility statement: a public page, with or without a session.

import { startPage } from "./js/shell.js";

startPage({ signIn: false });
