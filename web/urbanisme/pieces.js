// Upload of one piece of a dossier. The API issues a presigned POST, and the browser sends the
// PDF straight to storage with a progress bar. The page then polls the dossier until the check
// of the file records the piece accepted or rejected, with the reason.

import { get, post } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { clearErrors, showError } from "../js/errors.js";
import { formatInstant } from "../js/format.js";
import { checkPdfFile, formatMegabytes, progressBar, uploadFile } from "../js/upload.js";
import { PIECE_STATUS } from "./commun.js";

// The check runs on the storage event, within a second or two on the embedded stack.
const CHECK_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 500;

function stateText(piece) {
  if (!piece) {
    return "Aucun fichier envoyé.";
  }
  const label = PIECE_STATUS[piece.status] ?? piece.status;
  const detail = piece.message ? ` ${piece.message}` : "";
  if (piece.status === "awaited") {
    return `${piece.file_name} : ${label}`;
  }
  const when = piece.checked_at ? ` (vérifiée le ${formatInstant(piece.checked_at)})` : "";
  return `${piece.file_name} : ${label}${when}.${detail}`;
}

function stateClass(piece) {
  if (piece?.status === "accepted") {
    return "etat-piece etat-accepte";
  }
  if (piece?.status === "rejected") {
    return "etat-piece etat-refuse";
  }
  return "etat-piece";
}

async function waitForCheck(dossierId, code, requestedAt) {
  const deadline = Date.now() + CHECK_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const dossier = await get(`/urbanisme/dossiers/${encodeURIComponent(dossierId)}`);
    const piece = dossier.pieces.find((item) => item.code === code);
    if (piece && piece.requested_at === requestedAt && piece.status !== "awaited") {
      return { dossier, piece };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return null;
}

/**
 * Builds the upload block of one piece: its label, its current state (a status region) and
 * a form to send a PDF. `onChecked(dossier)` runs once a new file has been checked.
 */
export function pieceUploader(dossierId, spec, piece, onChecked = () => {}) {
  const id = `piece-${spec.code}`;
  const state = h(
    "p",
    { className: stateClass(piece), id: `${id}-etat`, role: "status" },
    stateText(piece),
  );
  const progressArea = h("div", {});
  const button = h(
    "button",
    { type: "submit", className: "bouton-secondaire" },
    "Envoyer la pièce",
  );
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": `${id}-titre` },
    h("div", { "data-resume-erreur": true, role: "alert" }),
    h(
      "div",
      { className: "champ", "data-api-field": "file" },
      h("label", { for: `${id}-fichier` }, `Fichier PDF : ${spec.label}`),
      h("input", {
        type: "file",
        id: `${id}-fichier`,
        name: "file",
        accept: "application/pdf,.pdf",
        "aria-describedby": `${id}-etat`,
      }),
    ),
    progressArea,
    h("div", { className: "actions" }, button),
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    clearErrors(form);
    const intro = `La pièce « ${spec.label} » n'a pas été envoyée.`;
    const file = form.elements.file.files[0];
    const invalid = checkPdfFile(file, "file");
    if (invalid) {
      showError(form, invalid, intro);
      return;
    }
    button.disabled = true;
    const progress = progressBar(`${id}-progression`, `Envoi de ${file.name}`);
    replaceChildren(progressArea, progress.element);
    try {
      const dossierPath = `/urbanisme/dossiers/${encodeURIComponent(dossierId)}`;
      const target = await post(`${dossierPath}/pieces/${spec.code}/upload`, {
        file_name: file.name,
      });
      if (file.size > target.max_bytes) {
        const details = { limit: formatMegabytes(target.max_bytes) };
        showError(form, { code: "file_too_large", field: "file", details }, intro);
        return;
      }
      await uploadFile(target, file, progress.update);
      state.className = "etat-piece";
      state.textContent = stateText(target.piece);
      const checked = await waitForCheck(dossierId, spec.code, target.piece.requested_at);
      if (!checked) {
        state.textContent =
          `${file.name} : la vérification prend du temps. ` + "Rechargez la page dans un instant.";
        return;
      }
      state.className = stateClass(checked.piece);
      state.textContent = stateText(checked.piece);
      form.reset();
      onChecked(checked.dossier);
    } catch (error) {
      showError(form, error, intro);
    } finally {
      button.disabled = false;
      replaceChildren(progressArea);
    }
  });

  return h(
    "article",
    { className: "piece" },
    h(
      "h3",
      { id: `${id}-titre` },
      spec.label,
      h("span", { className: "etiquette" }, spec.required ? "obligatoire" : "facultative"),
    ),
    state,
    form,
  );
}
