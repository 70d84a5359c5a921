// "Copier le lien": an enhancement of the read-only field that holds the link. Without JavaScript, or without
// the clipboard API, the field stays and the button stays hidden.
(function () {
  "use strict";

  function announce(text) {
    var status = document.getElementById("status");
    if (!status) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function setUp(button) {
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        announce(button.dataset.copied);
      }, function () {
        field.focus();
        field.select();
        announce(button.dataset.failed);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!navigator.clipboard || typeof navigator.clipboard.writeText !== "function") { return; }
    document.querySelectorAll("button[data-copy-target]").forEach(setUp);
  });
})();
