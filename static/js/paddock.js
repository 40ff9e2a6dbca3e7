// Paddock's small enhancements. Every page works without this file.
(function () {
  "use strict";
  // On narrow screens the main navigation folds behind a Menu button.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    document.documentElement.classList.add("js-nav");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("is-open", !open);
    });
  }
  // The accessory lead form asks where to pick up only when someone reserves.
  var leadForm = document.querySelector("[data-lead-form]");
  var eventField = leadForm && leadForm.querySelector("[name=event]");
  if (eventField) {
    var wrapper = eventField.closest(".field");
    var sync = function () {
      var chosen = leadForm.querySelector("[name=kind]:checked");
      wrapper.hidden = !(chosen && chosen.value === "reserve");
    };
    leadForm.addEventListener("change", sync);
    sync();
  }
  // A visitor's page comes from the page cache, so its form has an empty CSRF token: fetch one
  // (/csrf/, never cached) on the form's first focus, or at the latest when it is sent. If that
  // fails the form is sent anyway, and the server shows it again, kept, to send again.
  var tokenForm = document.querySelector("form[data-csrf-url]");
  var tokenField = tokenForm && tokenForm.querySelector("[name=csrfmiddlewaretoken]");
  if (tokenField && window.fetch) {
    var pending = null;
    var fetchToken = function () {
      if (!pending) {
        pending = fetch(tokenForm.getAttribute("data-csrf-url"), {
          credentials: "same-origin",
          cache: "no-store",
          headers: { Accept: "application/json" }
        })
          .then(function (response) {
            if (!response.ok) { throw new Error("CSRF token: " + response.status); }
            return response.json();
          })
          .then(function (data) { tokenField.value = data.token; })
          .catch(function () { pending = null; });
      }
      return pending;
    };
    tokenForm.addEventListener("focusin", fetchToken, { once: true });
    tokenForm.addEventListener("submit", function (event) {
      if (tokenField.value) { return; }
      event.preventDefault();
      var button = tokenForm.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      fetchToken().then(function () {
        if (button) { button.disabled = false; }
        tokenForm.submit();
      });
    });
  }
})();
