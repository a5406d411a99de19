// Organizer dashboard: fetch the panels again every minute and swap them in place.
(function () {
  "use strict";
  var box = document.getElementById("dashboard-panels");
  if (!box || !window.fetch) { return; }
  var seconds = parseInt(box.getAttribute("data-refresh-seconds"), 10) || 60;
  var url = box.getAttribute("data-refresh-url");
  function refresh() {
    if (document.hidden) { return; }
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () { /* keep the last figures; try again next time */ });
  }
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
}());
