// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  function announce(text) {
    var status = document.getElementById("status");
    if (!status) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  // "Lire à voix haute": only where the browser offers speech synthesis.
  function setUpReadAloud() {
    var button = document.getElementById("read-aloud");
    if (!button || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") { return; }
    var target = document.getElementById(button.dataset.target);
    if (!target) { return; }
    button.hidden = false;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      if (window.speechSynthesis.speaking) {
        window.speechSynthesis.cancel();
        return;
      }
      var utterance = new SpeechSynthesisUtterance(target.innerText);
      utterance.lang = document.documentElement.lang === "en" ? "en-GB" : "fr-FR";
      utterance.addEventListener("end", function () {
        button.textContent = button.dataset.labelStart;
        button.setAttribute("aria-pressed", "false");
        announce(button.dataset.stopped);
      });
      window.speechSynthesis.speak(utterance);
      button.textContent = button.dataset.labelStop;
      button.setAttribute("aria-pressed", "true");
      announce(button.dataset.started);
    });
  }

  // After a failed form submit, take the reader to the list of errors; after an action that led here (a refused
  // payment, a saved setting), to what came of it: either way it is read first.
  function focusOutcome() {
    var outcome = document.getElementById("error-summary") || document.querySelector("[data-focus-on-load]");
    if (outcome) { outcome.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpReadAloud();
    focusOutcome();
  });

  // A dialog loaded by HTMX (e.g. the cancellation): opened modal (Escape closes it), focus on its heading,
  // and back on the button that opened it when it closes.
  var dialogOpener = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.target && event.detail.target.id === "dialog-slot") { dialogOpener = event.detail.elt; }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = event.detail.target && event.detail.target.querySelector && event.detail.target.querySelector("dialog");
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    dialog.addEventListener("close", function () {
      dialog.remove();
      if (dialogOpener) { dialogOpener.focus(); }
    });
    dialog.querySelectorAll("[data-close-dialog]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
    dialog.showModal();
    var heading = dialog.querySelector("h2");
    if (heading) { heading.focus(); }
  });

  // An htmx request that failed (the server answered with an error, or the network is down) leaves the page as
  // it was: say so, visibly and to screen readers, rather than let the old results pass for new ones.
  function requestFailed(kind) {
    var notice = document.getElementById("request-failed");
    if (!notice) { return; }
    notice.textContent = "";
    notice.hidden = false;
    window.setTimeout(function () { notice.textContent = notice.dataset[kind]; }, 50);
  }
  document.addEventListener("htmx:responseError", function () { requestFailed("failed"); });
  document.addEventListener("htmx:sendError", function () { requestFailed("offline"); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var notice = document.getElementById("request-failed");
    if (notice && event.detail.successful) { notice.hidden = true; notice.textContent = ""; }
  });

  // After HTMX swaps new content in, move focus to its error summary (if any); the search keeps focus in its field.
  document.addEventListener("htmx:afterSettle", function (event) {
    var summary = event.detail.target && event.detail.target.querySelector && event.detail.target.querySelector("#error-summary");
    if (summary) { summary.focus(); }
  });
})();
