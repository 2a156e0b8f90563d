/*
 * The committee page (templates/casework/committee.html): as proposals are ticked, the button
 * says how many will be decided, and the budget figures show what the selected proposals grant
 * and what remains of the call's budget after them. Without this script the confirmation page
 * shows the same figures.
 */
(function () {
  "use strict";

  var form = document.querySelector(".committee-form");
  var budget = document.querySelector(".committee-budget");
  if (!form || !budget) {
    return;
  }
  var strings = JSON.parse(document.getElementById("committee-strings").textContent);
  var lang = document.documentElement.lang === "en" ? "en-GB" : "sv-SE";
  var money = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  var boxes = form.querySelectorAll('input[type="checkbox"][name="applications"]');
  var remaining = parseFloat(budget.getAttribute("data-remaining"));

  function update() {
    var count = 0;
    var proposed = 0;
    boxes.forEach(function (box) {
      if (box.checked) {
        count += 1;
        proposed += parseFloat(box.getAttribute("data-proposed")) || 0;
      }
    });
    var after = remaining - proposed;
    document.getElementById("committee-count").textContent = String(count);
    document.getElementById("committee-proposed").textContent = money.format(proposed) + " kr";
    document.getElementById("committee-remaining-after").textContent = money.format(after) + " kr";
    document.getElementById("committee-submit").textContent =
      count === 1 ? strings.one : strings.many.replace("%(count)s", String(count));
    var over = document.getElementById("committee-over");
    var warning = over.querySelector("p");
    if (after < 0 && !warning) {
      warning = document.createElement("p");
      warning.className = "notice warning";
      warning.textContent = strings.over;
      over.appendChild(warning);
    } else if (after >= 0 && warning) {
      over.removeChild(warning);
    }
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", update);
  });
})();
