// Review page: j goes to the next registration, k to the previous one (the page's rel=next /
// rel=prev links), unless the focus is in a field. Without script the links still work.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName))) { return; }
    var rel = event.key === "j" ? "next" : event.key === "k" ? "prev" : null;
    if (!rel) { return; }
    var link = document.querySelector(".review-pager a[rel=" + rel + "]");
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
}());
