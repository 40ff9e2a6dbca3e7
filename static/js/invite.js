// "Invite members" screen (events/admin_invitations.py). Without this file everything still works:
// all audience fields show, and the progress updates on reload.
(function () {
  "use strict";
  // Show only the field the chosen audience needs (a club, models, a past event, addresses).
  var needs = { club: "club", models: "car_models", attendees: "past_event", emails: "emails" };
  var kinds = document.querySelectorAll("input[name='kind']");
  function showAudienceFields() {
    var chosen = document.querySelector("input[name='kind']:checked");
    var wanted = chosen ? needs[chosen.value] : null;
    document.querySelectorAll("[data-audience-field]").forEach(function (wrapper) {
      wrapper.hidden = wrapper.getAttribute("data-audience-field") !== wanted;
    });
  }
  kinds.forEach(function (input) { input.addEventListener("change", showAudienceFields); });
  if (kinds.length) showAudienceFields();
})();

// While invitations are being sent in the background, ask the server for the progress every two
// seconds and update the counts and the bar, until nothing is queued.
(function () {
  "use strict";
  var section = document.querySelector("[data-invite-progress]");
  if (!section || !window.fetch) return;
  var url = section.getAttribute("data-invite-progress");
  var bar = section.querySelector("[data-progress-bar]");
  var note = section.querySelector("[data-progress-note]");
  var empty = section.querySelector("[data-progress-empty]");
  var idle = 0;

  function show(progress) {
    ["total", "sent", "queued", "failed", "waiting"].forEach(function (key) {
      var cell = section.querySelector("[data-progress='" + key + "']");
      if (cell) cell.textContent = progress[key];
    });
    bar.hidden = !progress.total;
    empty.hidden = !!progress.total;
    bar.max = Math.max(progress.total, 1);
    bar.value = progress.sent;
    bar.textContent = progress.sent + " of " + progress.total;
    var texts = progress.texts || {};
    var textLine = section.querySelector("[data-progress-texts]");
    ["sent", "delivered", "undelivered", "awaiting", "queued", "failed"].forEach(function (key) {
      var cell = section.querySelector("[data-progress-text='" + key + "']");
      if (cell) cell.textContent = texts[key] || 0;
    });
    if (textLine) textLine.hidden = !(texts.sent || texts.queued || texts.failed);
    var waiting = section.querySelector("[data-progress-waiting]");
    if (waiting) waiting.hidden = !progress.waiting;
    note.textContent = progress.waiting ?
      "Your Send is saved; the invitations are written as soon as the background workers can take them (after an outage, within a few minutes)." :
      progress.queued ? "Sending in the background; this updates by itself." :
      (progress.total ? "All invitations have been handed to the mail server." : "");
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (!progress) return;
        show(progress);
        // Just after "Send" the first batch may not be written yet: keep asking for a little while.
        var texts = progress.texts || {};
        idle = progress.queued || progress.waiting || texts.queued ? 0 : idle + 1;
        if (idle < 5) window.setTimeout(poll, 2000);
        // Delivery receipts come back minutes after the texts went: ask now and then for them.
        else if (texts.awaiting) window.setTimeout(poll, 15000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
})();
