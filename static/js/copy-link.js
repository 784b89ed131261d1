// "Copy link" on the offer check: copies the result's address. Without JavaScript (or a clipboard) it is a plain
// link to the same result, whose address bar then holds it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-copy-link]");
    if (!link || !navigator.clipboard) {
      return;
    }
    event.preventDefault();
    var status = document.getElementById("copy-link-status");
    navigator.clipboard.writeText(link.href).then(
      function () {
        if (status) {
          status.textContent = "Link copied. Anyone with it sees your figures.";
        }
      },
      function () {
        window.location.href = link.href;
      }
    );
  });
})();
