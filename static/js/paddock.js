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
})();
