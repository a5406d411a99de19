// The public hall plan's zoom buttons (templates/exhibitors/directory/_plan_viewer.html).
// Without JavaScript the plan still scrolls in its frame and the browser zooms the page; with
// it, the buttons make the drawing wider or narrower around the middle of the view, and a
// highlighted stand (an exhibitor's page) is scrolled into the middle of the frame.
(function () {
  "use strict";
  const STEPS = [1, 1.5, 2, 3, 4, 6];

  function setup(viewer) {
    const scroll = viewer.querySelector("[data-plan-scroll]");
    const svg = scroll && scroll.querySelector("svg");
    if (!svg) return;
    const controls = viewer.querySelector("[data-plan-controls]");
    // The width CSS gives the drawing at first (100 % on desktops, 200 % on phones).
    const base = svg.getBoundingClientRect().width / scroll.clientWidth || 1;
    let step = 0;

    function apply(next, centre) {
      const before = svg.getBoundingClientRect();
      const cx = centre ? centre.x : scroll.scrollLeft + scroll.clientWidth / 2;
      const cy = centre ? centre.y : scroll.scrollTop + scroll.clientHeight / 2;
      const fx = cx / before.width;
      const fy = cy / before.height;
      step = Math.max(0, Math.min(STEPS.length - 1, next));
      svg.style.width = `${base * STEPS[step] * 100}%`;
      const after = svg.getBoundingClientRect();
      scroll.scrollLeft = fx * after.width - scroll.clientWidth / 2;
      scroll.scrollTop = fy * after.height - scroll.clientHeight / 2;
      viewer.dataset.zoom = String(STEPS[step]);
    }

    controls.hidden = false;
    controls.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-zoom]");
      if (!button) return;
      const kind = button.dataset.zoom;
      apply(kind === "in" ? step + 1 : kind === "out" ? step - 1 : 0);
    });

    const marked = svg.querySelector(".stand--highlight");
    if (marked) {
      const box = marked.getBoundingClientRect();
      const frame = scroll.getBoundingClientRect();
      scroll.scrollLeft += box.left - frame.left - (scroll.clientWidth - box.width) / 2;
      scroll.scrollTop += box.top - frame.top - (scroll.clientHeight - box.height) / 2;
    }
    viewer.dataset.zoom = "1";
  }

  document.querySelectorAll("[data-plan-viewer]").forEach(setup);
})();
