// The company list: on a phone the filter panel starts closed (unless its filters need fixing), so the first
// company is on the first screen; the compare bar says how many companies are ticked. Without JavaScript the
// panel stays open and the bar reads its plain instruction.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 47.99rem)");

  function fitPanel() {
    var panel = document.getElementById("filters-panel");
    if (panel && !panel.hasAttribute("data-keep-open")) {
      panel.open = !narrow.matches;
    }
  }

  function countTicked() {
    var status = document.getElementById("compare-count");
    if (!status) {
      return;
    }
    var form = document.getElementById("compare-form");
    var max = Number(form.dataset.max);
    var words = form.dataset.maxWords;
    var ticked = document.querySelectorAll('input[form="compare-form"]:checked').length;
    if (ticked === 0) {
      status.textContent = "Tick up to " + words + " companies to compare them.";
    } else if (ticked <= max) {
      status.textContent = ticked + (ticked === 1 ? " company" : " companies") + " ticked (up to " + words + ").";
    } else {
      status.textContent = ticked + " companies ticked: compare shows the first " + words + ".";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    fitPanel();
    countTicked();
  });
  narrow.addEventListener("change", fitPanel);
  document.addEventListener("change", function (event) {
    if (event.target.matches('input[form="compare-form"]')) {
      countTicked();
    }
  });
  window.addEventListener("pageshow", countTicked);
})();
