// CM-Einsatz: live total of the days per week, what is left of the capacity (FTE × 5), FTE per row.
// Plain JavaScript, no framework; the server checks everything again when the form is saved.
(function () {
  "use strict";
  var form = document.getElementById("allocation-form");
  if (!form) { return; }
  var capacity = parseNumber(form.getAttribute("data-capacity"));
  var totalOutput = document.getElementById("allocation-total");
  var leftOutput = document.getElementById("allocation-left");
  var overNote = document.getElementById("allocation-over");
  var format = new Intl.NumberFormat("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 2 });
  var formatFte = new Intl.NumberFormat("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 3 });

  // German input as the server reads it: "1,5", "1.5" and "1.234,5"; anything else ("2a", "") counts 0 here
  // and is refused with a message on saving.
  function parseNumber(text) {
    if (text === null || text === undefined) { return 0; }
    var value = String(text).replace(/\s/g, "");
    if (value.indexOf(",") >= 0) { value = value.replace(/\./g, "").replace(",", "."); }
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(value)) { return 0; }
    return Number(value);
  }

  function update() {
    // Half days are counted in whole units so that 0,5 + 0,5 + … adds up without binary rounding.
    var halves = 0;
    form.querySelectorAll("input[data-days]").forEach(function (input) {
      var days = parseNumber(input.value);
      halves += Math.round(days * 2);
      var cell = input.closest("tr").querySelector("[data-fte]");
      if (cell) { cell.textContent = formatFte.format(days / 5); }
    });
    var total = halves / 2;
    var left = capacity - total;
    totalOutput.textContent = format.format(total);
    leftOutput.textContent = format.format(left);
    leftOutput.classList.toggle("overdue", left < 0);
    if (overNote) { overNote.hidden = left >= 0; }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", function (event) {
    // A municipality without demand gets no days.
    var box = event.target;
    if (box.matches("input[data-no-demand]") && box.checked) {
      var days = box.closest("tr").querySelector("input[data-days]");
      if (days) { days.value = "0"; }
    }
    update();
  });
  update();
}());
