// The démarches whose pages this site shows. Each démarche describes its navigation in its own
// folder (`<demarche>/menu.js`); adding a démarche adds one import and one list entry here.

import aquadrome from "../aquadrome/menu.js";
import conservatoire from "../conservatoire/menu.js";
import famille from "../famille/menu.js";
import urbanisme from "../urbanisme/menu.js";

export const DEMARCHES = [aquadrome, famille, conservatoire, urbanisme];
