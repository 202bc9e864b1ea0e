// CM-Einsatz: live total of the days per week, what is left of the capacity (FTE × 5), FTE per row.
// Plain JavaScript, no framework; the server checks everything again when the form is saved.
(function () {
  "use strict";
  var form = document.getElementById("allocation-form");
  if (!form) { return; }
  // data-capacity is a machine value ("35.000"), not typed text: never read it with the German rule.
  var capacity = Number(form.getAttribute("data-capacity")) || 0;
  var totalOutput = document.getElementById("allocation-total");
  var leftOutput = document.getElementById("allocation-left");
  var overNote = document.getElementById("allocation-over");
  var format = new Intl.NumberFormat("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 2 });
  var formatFte = new Intl.NumberFormat("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 3 });

  // Typed days, read by the server's rule (numbers.js = kimportal/numbers.py): "1,5" and "1.5" are 1,5;
  // what the rule refuses ("2a", "1.5.0", "") counts 0 here; the server checks range and half days on saving.
  function parseDays(input) {
    var places = input.hasAttribute("data-places") ? Number(input.getAttribute("data-places")) : 2;
    var value = window.kimportalNumbers.parse(input.value, places);
    return value === null ? 0 : Number(value);
  }

  function update() {
    // Half days are counted in whole units so that 0,5 + 0,5 + … adds up without binary rounding.
    var halves = 0;
    form.querySelectorAll("input[data-days]").forEach(function (input) {
      var days = parseDays(input);
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
