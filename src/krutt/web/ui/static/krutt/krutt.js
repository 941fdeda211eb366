// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Minute presets next to the minutes field of the quick entry.
  document.querySelectorAll(".presets[data-target]").forEach(function (box) {
    var input = document.getElementById(box.dataset.target);
    if (!input) return;
    box.hidden = false;
    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-minutes]");
      if (!button) return;
      input.value = button.dataset.minutes;
      input.focus();
    });
  });

  // A running timer shows its elapsed time.
  document.querySelectorAll(".elapsed[data-since]").forEach(function (el) {
    var since = new Date(el.dataset.since).getTime();
    function tick() {
      var minutes = Math.max(0, Math.floor((Date.now() - since) / 60000));
      var h = Math.floor(minutes / 60), m = minutes % 60;
      el.textContent = "(" + (h ? h + " h " : "") + m + " min)";
    }
    tick();
    setInterval(tick, 30000);
  });

  // Ask before deleting.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
