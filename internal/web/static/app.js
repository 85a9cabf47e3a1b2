// Small enhancements; every page works without them.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  // Bring the error summary into view and focus, so that screen reader
  // users hear what went wrong first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
