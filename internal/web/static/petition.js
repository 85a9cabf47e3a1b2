// The petition form's "use my location" button: where the browser can
// give a position, it fills the hidden latitude and longitude; without
// JavaScript or a position the form works with the address alone.
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  var status = document.getElementById("geo-status");
  button.parentNode.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("long").value = pos.coords.longitude.toFixed(6);
      status.textContent = status.dataset.ok + " (" + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5) + ")";
    }, function () {
      status.textContent = status.dataset.fail;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
