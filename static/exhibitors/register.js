// Exhibitor registration: character counter for the catalog entry and "add another
// co-exhibitor" without a round trip. Without JavaScript the form works the same way
// (the add button then reloads the page with one more row).
(function () {
  "use strict";

  function setUpCounter(counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var output = counter.querySelector("[data-count]");
    var max = parseInt(counter.getAttribute("data-max"), 10);
    if (!field || !output) { return; }
    function update() {
      // Count characters as the server does: code points, a line break is one.
      var length = Array.from(field.value.replace(/\r\n/g, "\n")).length;
      output.textContent = String(length);
      counter.classList.toggle("over", length > max);
    }
    field.addEventListener("input", update);
    update();
  }

  function setUpCoExhibitors(button) {
    var template = document.getElementById("co-exhibitor-template");
    var rows = document.querySelector("[data-co-rows]");
    var total = document.getElementById("id_co-TOTAL_FORMS");
    var maxInput = document.getElementById("id_co-MAX_NUM_FORMS");
    if (!template || !rows || !total) { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var count = parseInt(total.value, 10) || 0;
      var max = maxInput ? parseInt(maxInput.value, 10) : Infinity;
      if (count >= max) { button.disabled = true; return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(count));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(count + 1);
      var inputs = rows.lastElementChild ? rows.lastElementChild.querySelectorAll("input") : [];
      if (inputs.length) { inputs[0].focus(); }
      if (count + 1 >= max) { button.disabled = true; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-counter-for]").forEach(setUpCounter);
    var add = document.querySelector("[data-add-co-exhibitor]");
    if (add) { setUpCoExhibitors(add); }
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
