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

  // A large upload shows how far it has come; the server answers with where to go next.
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    var box = document.getElementById(form.dataset.uploadProgress);
    if (!box || !window.FormData || !window.XMLHttpRequest) return;
    var bar = box.querySelector("progress");
    var status = box.querySelector(".upload-status");
    var errors = form.querySelector(".form-errors");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Krutt-Upload", "1");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value");
        status.textContent = box.dataset.reading || "…";
      });
      xhr.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (ignored) { answer = null; }
        if (answer && answer.next) { window.location.assign(answer.next); return; }
        box.hidden = true;
        button.disabled = false;
        errors.textContent = "";
        ((answer && answer.errors) || [xhr.statusText]).forEach(function (text) {
          var p = document.createElement("p");
          p.textContent = text;
          errors.appendChild(p);
        });
        errors.hidden = false;
      });
      xhr.addEventListener("error", function () { form.submit(); });
      box.hidden = false;
      bar.value = 0;
      button.disabled = true;
      xhr.send(new FormData(form));
    });
  });

  // A background import: poll its state and move the bar; reload once it is finished.
  document.querySelectorAll("[data-job-poll]").forEach(function (box) {
    if (box.dataset.jobFinished || !window.fetch) return;
    var bar = box.querySelector("progress");
    var status = box.querySelector(".job-status");
    function poll() {
      fetch(box.dataset.jobPoll, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) {
          if (!state) return;
          if (state.finished) { window.location.reload(); return; }
          if (state.percent === null) bar.removeAttribute("value"); else bar.value = state.percent;
          status.textContent = state.message + (state.total ? " " + state.done + " / " + state.total : "");
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 1000);
  });

  // Ask before deleting.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();

// The perceived split's sliders say their value and the sum as they move.
(function () {
  "use strict";
  var sliders = document.querySelectorAll("input.slider");
  if (!sliders.length) return;
  var sum = document.querySelector("[data-slider-sum]");
  function update() {
    var total = 0;
    sliders.forEach(function (s) {
      total += Number(s.value);
      var out = document.querySelector("output[for='" + s.id + "']");
      if (out) out.textContent = s.value + " %";
    });
    if (sum) {
      sum.textContent = sum.dataset.label + " " + total + " %";
      sum.classList.toggle("off", total !== 100);
    }
  }
  sliders.forEach(function (s) { s.addEventListener("input", update); });
  update();
})();
