// Garage car form: when the member leaves the VIN field, ask the garage what the VIN says
// (POST /garage/vin/) and offer to fill in the model and year. The member decides; without this
// file the form still checks the VIN when it is sent.
(function () {
  "use strict";
  var offer = document.querySelector("[data-vin-offer]");
  var form = offer && offer.closest("form");
  var input = form && form.querySelector("input[name='vin']");
  if (!input) return;
  var year = form.querySelector("input[name='year']");
  var model = form.querySelector("select[name='car_model']");
  var field = input.closest(".field");
  if (field) field.appendChild(offer);  // under the VIN, before anything is announced
  var asked = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function say(className, nodes) {
    offer.className = "vin-offer" + (className ? " " + className : "");
    offer.replaceChildren.apply(offer, nodes);
  }

  function button(label, hidden, ghost, onClick) {
    var node = element("button", "button button--small" + (ghost ? " button--ghost" : ""), label);
    if (hidden) node.append(element("span", "visually-hidden", hidden));
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function fill(facts, choosable) {
    var done = [];
    if (model && facts.car_models.length === 1 && choosable) {
      model.value = String(facts.car_models[0]);
      model.dispatchEvent(new Event("change", { bubbles: true }));
      done.push(model.options[model.selectedIndex].text);
    }
    if (facts.years.length && year) {
      year.value = String(facts.years[0]);
      year.dispatchEvent(new Event("change", { bubbles: true }));
      done.push("model year " + facts.years[0]);
    }
    var text = "Filled in: " + done.join(", ") + ".";
    if (model && choosable && facts.car_models.length > 1) {
      text += " Now choose which " + facts.make + " model you have.";
      model.focus();
    }
    say("vin-offer--done", [element("p", "vin-offer__text", text)]);
  }

  function show(facts) {
    if (facts.problem) {
      say("vin-offer--problem", [element("p", "vin-offer__text", facts.problem)]);
      return;
    }
    var current = model ? model.value : "";
    // Only offer another model when the chosen one is not already of this make.
    var choosable = facts.car_models.length > 0 && facts.car_models.indexOf(Number(current)) === -1;
    var what = (facts.years.length ? facts.years[0] + " " : "") + (facts.make || "car");
    var where = [];
    if (facts.manufacturer && facts.manufacturer.toLowerCase() !== facts.make.toLowerCase()) {
      where.push(facts.manufacturer);
    }
    if (facts.country) where.push(facts.country);
    var text = "Looks like a " + what + (where.length ? " (" + where.join(", ") + ")" : "") + ".";
    var fillable = [];
    if (choosable && facts.car_models.length === 1) fillable.push("model");
    if (facts.years.length) fillable.push("year");
    if (!fillable.length) {
      say("", [element("p", "vin-offer__text", text)]);
      return;
    }
    var question = "Fill in " + fillable.join(" and ") + "?";
    var actions = element("div", "vin-offer__actions");
    actions.append(
      button("Fill in", " " + fillable.join(" and "), false, function () { fill(facts, choosable); }),
      button("No thanks", "", true, function () { say("", []); })
    );
    say("", [element("p", "vin-offer__text", text + " " + question), actions]);
  }

  function ask() {
    var vin = input.value.replace(/\s+/g, "").toUpperCase();
    var mine = ++asked;
    if (input.value !== vin) input.value = vin;  // as it will be saved: capitals, no spaces
    if (vin.length !== 17) { say("", []); return; }
    // Sent in the body, not the address, so that the VIN stays out of access logs.
    var body = new FormData();
    body.append("vin", vin);
    body.append("csrfmiddlewaretoken", form.querySelector("[name='csrfmiddlewaretoken']").value);
    fetch(offer.dataset.url, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) throw new Error("not signed in");
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (mine !== asked) return;  // the member has typed another VIN since
        if (result.ok) show(result.data);
        else say("vin-offer--problem", [element("p", "vin-offer__text", result.data.error)]);
      })
      .catch(function () { if (mine === asked) say("", []); });
  }

  input.addEventListener("change", ask);
})();
