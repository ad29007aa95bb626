// Sends a file straight to storage with a presigned POST that the API issued, reporting the
// progress of the transfer. The storage bucket replies to the browser itself, so it must allow
// the pages' origin (CORS): the API never sees the file.

import { ApiError } from "./api.js";
import { h } from "./dom.js";

/** Largest file a page lets the browser send, when the API gives no limit of its own. */
const DEFAULT_MAX_BYTES = 20_000_000;

/** "2,5 Mo" for 2 500 000 bytes (decimal megabytes, as the API's limits are written). */
export function formatMegabytes(bytes) {
  const megabytes = bytes / 1_000_000;
  const digits = megabytes < 10 ? 1 : 0;
  return `${megabytes.toLocaleString("fr-FR", { maximumFractionDigits: digits })} Mo`;
}

/**
 * Checks a chosen file before any request: present, a PDF by its name or type, not larger
 * than `maxBytes`. Returns the error to show (`{code, field, details}`), or null.
 */
export function checkPdfFile(file, field, maxBytes = DEFAULT_MAX_BYTES) {
  if (!file) {
    return { code: "file_missing", field };
  }
  const looksPdf = file.type === "application/pdf" || /\.pdf$/i.test(file.name);
  if (!looksPdf) {
    return { code: "file_not_pdf", field };
  }
  if (file.size > maxBytes) {
    return { code: "file_too_large", field, details: { limit: formatMegabytes(maxBytes) } };
  }
  return null;
}

/**
 * Posts `file` to `target.url` with the presigned `target.fields`, in their order and before
 * the file, as S3 requires. `onProgress(sent, total)` follows the transfer. Resolves once
 * storage accepted the file; rejects with an ApiError `upload_failed` (HTTP status of the
 * storage) or `network_error`.
 */
export function uploadFile(target, file, onProgress = () => {}) {
  const body = new FormData();
  for (const [name, value] of Object.entries(target.fields)) {
    body.append(name, value);
  }
  body.append("file", file, file.name);

  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", target.url);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) {
        onProgress(event.loaded, event.total);
      }
    });
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(file.size, file.size);
        resolve();
        return;
      }
      reject(
        new ApiError(request.status, {
          code: "upload_failed",
          message: `storage returned HTTP ${request.status}`,
        }),
      );
    });
    request.addEventListener("error", () => {
      const body = { code: "network_error", message: "the upload did not reach storage" };
      reject(new ApiError(0, body));
    });
    request.send(body);
  });
}

/**
 * Builds a labelled progress bar for an upload. Returns the element and `update(sent, total)`,
 * which moves the bar and writes the percentage beside it.
 */
export function progressBar(id, label) {
  const bar = h("progress", { id, max: "100", value: "0" });
  const percent = h("span", { className: "progression-valeur", "aria-hidden": "true" }, "0 %");
  const element = h(
    "div",
    { className: "progression" },
    h("label", { for: id }, label),
    bar,
    percent,
  );
  const update = (sent, total) => {
    const value = total > 0 ? Math.round((sent / total) * 100) : 0;
    bar.value = value;
    percent.textContent = `${value} %`;
  };
  return { element, update };
}
