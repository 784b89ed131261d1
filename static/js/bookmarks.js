// The bookmarks page: counts the companies ticked for comparison and explains when 2 to 4 are not ticked.
// Without JavaScript the compare page itself explains a wrong selection.
(function () {
  "use strict";
  var form = document.getElementById("compare-form");
  var hint = document.getElementById("compare-hint");
  if (!form || !hint) {
    return;
  }
  var original = hint.textContent;

  function ticked() {
    return document.querySelectorAll('input[form="compare-form"][name="c"]:checked').length;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches('input[form="compare-form"]')) {
      var count = ticked();
      hint.textContent = count ? count + " ticked. " + original : original;
    }
  });

  form.addEventListener("submit", function (event) {
    var count = ticked();
    if (count < 2 || count > 4) {
      event.preventDefault();
      hint.textContent = "Tick between 2 and 4 companies to compare; you have ticked " + count + ".";
    }
  });
})();
