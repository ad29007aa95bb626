// Check-in at the entrance: an agent types, pastes or scans a ticket reference and sees at
// once whether the ticket is accepted, or why it is rejected.

import { post } from "../js/api.js";
import { h, replaceChildren } from "../js/dom.js";
import { clearErrors, messageFor, showError } from "../js/errors.js";
import { formatDay, formatInstant, plural } from "../js/format.js";
import { startPage } from "../js/shell.js";

const form = document.getElementById("controle");
const input = document.getElementById("billet");
const submitButton = document.getElementById("valider");
const result = document.getElementById("resultat");
const camera = document.getElementById("camera");
const video = document.getElementById("camera-video");
const startButton = document.getElementById("camera-demarrer");

const SCAN_INTERVAL_MS = 250;
let stream = null;

function showAccepted(admission) {
  const [day, start] = admission.slot_id.split("T");
  result.className = "resultat-controle accepte";
  replaceChildren(
    result,
    h("p", {}, `Entrée acceptée : ${plural(admission.persons, "personne")}`),
    h("p", { className: "detail" }, `Séance de ${start}, ${formatDay(day)}.`),
    h(
      "p",
      { className: "detail" },
      `Entrée enregistrée le ${formatInstant(admission.checked_in_at)}.`,
    ),
  );
}

function showRejected(error) {
  result.className = "resultat-controle refuse";
  replaceChildren(
    result,
    h("p", {}, "Entrée refusée"),
    h("p", { className: "detail" }, messageFor(error)),
  );
}

async function checkIn(event) {
  event?.preventDefault();
  clearErrors(form);
  const reference = input.value.trim();
  if (!reference) {
    result.className = "resultat-controle";
    replaceChildren(result);
    showError(form, { code: "ticket_missing", field: "ticket" });
    return;
  }
  submitButton.disabled = true;
  try {
    const admission = await post("/aquadrome/check-in", { ticket: reference });
    showAccepted(admission);
    input.value = "";
  } catch (error) {
    showRejected(error);
    showError(form, error);
    input.select();
  } finally {
    submitButton.disabled = false;
    input.focus();
  }
}

function stopCamera() {
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
  camera.hidden = true;
  startButton.hidden = false;
}

async function scan(detector) {
  if (!stream) {
    return;
  }
  const codes = await detector.detect(video).catch(() => []);
  if (codes.length > 0) {
    input.value = codes[0].rawValue;
    stopCamera();
    await checkIn();
    return;
  }
  setTimeout(() => scan(detector), SCAN_INTERVAL_MS);
}

async function startCamera() {
  const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch {
    result.className = "resultat-controle refuse";
    replaceChildren(
      result,
      h("p", {}, "Caméra indisponible"),
      h(
        "p",
        { className: "detail" },
        "Autorisez l'accès à la caméra, ou saisissez la référence.",
      ),
    );
    return;
  }
  video.srcObject = stream;
  camera.hidden = false;
  startButton.hidden = true;
  await video.play();
  scan(detector);
}

/** Offers the camera only where the browser can decode QR codes itself. */
async function offerCamera() {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices?.getUserMedia) {
    return;
  }
  const formats = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
  if (formats.includes("qr_code")) {
    startButton.hidden = false;
    startButton.addEventListener("click", startCamera);
    document.getElementById("camera-arreter").addEventListener("click", stopCamera);
  }
}

async function main() {
  const session = await startPage({ audience: "aquadrome_agent" });
  if (!session) {
    return;
  }
  form.addEventListener("submit", checkIn);
  await offerCamera();
  input.focus();
}

main();
