// The public hall plan's zoom buttons (templates/exhibitors/directory/_plan_viewer.html).
// Without JavaScript the plan still scrolls in its frame and the browser zooms the page; with
// it, the buttons make the drawing wider or narrower around the middle of the view, and a
// highlighted stand (an exhibitor's page) is scrolled into the middle of the frame and stays
// there when zooming.
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

    const marked = svg.querySelector(".stand--highlight");

    // The point of the drawing that stays in the middle of the frame, as fractions of the
    // drawing: the highlighted stand if there is one, else the middle of the view.
    function focus() {
      const drawing = svg.getBoundingClientRect();
      if (marked) {
        const box = marked.getBoundingClientRect();
        return [
          (box.left - drawing.left + box.width / 2) / drawing.width,
          (box.top - drawing.top + box.height / 2) / drawing.height,
        ];
      }
      return [
        (scroll.scrollLeft + scroll.clientWidth / 2) / drawing.width,
        (scroll.scrollTop + scroll.clientHeight / 2) / drawing.height,
      ];
    }

    function apply(next) {
      const [fx, fy] = focus();
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

    if (marked) apply(0);  // the highlighted stand in the middle of the frame
    viewer.dataset.zoom = "1";
  }

  document.querySelectorAll("[data-plan-viewer]").forEach(setup);
})();
