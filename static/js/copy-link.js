// "Copy link" (the offer check, a company profile): copies the link's address and says so in the status beside it
// (its data-copied text). Without JavaScript (or a clipboard) it is a plain link to the same page, whose address
// bar then holds it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-copy-link]");
    if (!link || !navigator.clipboard) {
      return;
    }
    event.preventDefault();
    var status = link.parentElement.querySelector("[role=status]");
    navigator.clipboard.writeText(link.href).then(
      function () {
        if (status) {
          status.textContent = link.getAttribute("data-copied") || "Link copied.";
        }
      },
      function () {
        window.location.href = link.href;
      }
    );
  });
})();
