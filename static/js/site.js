// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // "Lire à voix haute": the document read section by section (a section is an h2 and what follows it), with
  // pause, previous and next section, and speed. Only where the browser offers speech synthesis; and if it has no
  // voice, or a reading fails, the page says so instead of pretending to read.
  function setUpReadAloud() {
    var panel = document.getElementById("read-aloud");
    if (!panel || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") { return; }
    var body = document.getElementById(panel.dataset.target);
    if (!body) { return; }
    var synth = window.speechSynthesis;
    var status = document.getElementById("read-aloud-status");
    var play = panel.querySelector("[data-action=play]");
    var rate = document.getElementById("read-aloud-rate");
    var sections = [];
    var current = null;
    body.querySelectorAll("h2").forEach(function (heading) {
      var parts = [heading];
      for (var node = heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
        if (!node.matches("[data-read-aloud=skip]")) { parts.push(node); }  // a section's audio player
      }
      sections.push({ heading: heading, parts: parts });
    });
    if (!sections.length) { return; }
    var index = 0;
    var state = "stopped";  // stopped, playing or paused
    panel.hidden = false;

    function say(text) { status.textContent = text; }
    function sayReading() { say(panel.dataset.playing.replace("{section}", sections[index].heading.innerText)); }
    function mark(on) {
      sections[index].parts.forEach(function (node) { node.classList.toggle("being-read", on); });
    }
    function setState(next) {
      state = next;
      play.textContent = next === "playing" ? panel.dataset.labelPause
        : next === "paused" ? panel.dataset.labelResume : panel.dataset.labelPlay;
      play.setAttribute("aria-pressed", next === "playing" ? "true" : "false");
    }
    function stop(message) {
      current = null;
      synth.cancel();
      mark(false);
      setState("stopped");
      if (message) { say(message); }
    }
    function hasVoice() { return synth.getVoices().length > 0; }
    function speak() {
      if (!hasVoice()) { stop(panel.dataset.noVoice); return; }
      synth.cancel();
      mark(true);
      var section = sections[index];
      section.heading.scrollIntoView({ block: "start" });
      var utterance = new SpeechSynthesisUtterance(section.parts.map(function (node) {
        return node.innerText;
      }).join("\n"));
      utterance.lang = document.documentElement.lang === "en" ? "en-GB" : "fr-FR";
      utterance.rate = parseFloat(rate.value) || 1;
      current = utterance;
      utterance.addEventListener("end", function () {
        if (current !== utterance) { return; }  // cancelled for another section
        mark(false);
        if (index + 1 < sections.length) { index += 1; speak(); } else { stop(panel.dataset.finished); index = 0; }
      });
      utterance.addEventListener("error", function (event) {
        if (current !== utterance || event.error === "interrupted" || event.error === "canceled") { return; }
        stop(panel.dataset.noVoice);
      });
      setState("playing");
      sayReading();
      synth.speak(utterance);
    }
    function move(step) {
      mark(false);
      index = Math.min(Math.max(index + step, 0), sections.length - 1);
      if (state === "playing") { speak(); } else {
        stop();
        mark(true);
        sayReading();
      }
    }
    play.addEventListener("click", function () {
      if (state === "playing") { synth.pause(); setState("paused"); say(panel.dataset.paused); }
      else if (state === "paused") { synth.resume(); setState("playing"); sayReading(); }
      else { speak(); }
    });
    panel.querySelector("[data-action=previous]").addEventListener("click", function () { move(-1); });
    panel.querySelector("[data-action=next]").addEventListener("click", function () { move(1); });
    rate.addEventListener("change", function () { if (state === "playing") { speak(); } });
    window.addEventListener("pagehide", function () { synth.cancel(); });
    setState("stopped");
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
