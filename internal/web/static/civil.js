// The scanned page beside the entry and verification forms: the + and −
// buttons zoom the picture in its frame, which scrolls, so that the
// officer reads a faded line without leaving the form.
(function () {
  "use strict";
  document.querySelectorAll("figure.scan").forEach(function (fig) {
    var img = fig.querySelector("img");
    if (!img) {
      return;
    }
    var zoom = 1;
    fig.querySelectorAll("[data-zoom-step]").forEach(function (b) {
      b.addEventListener("click", function () {
        zoom = Math.min(4, Math.max(1, zoom + Number(b.dataset.zoomStep) * 0.5));
        img.style.width = (zoom * 100) + "%";
        fig.dataset.zoom = String(zoom);
      });
    });
  });
})();
