// Live forum results: polls the session's small JSON (live.json) and updates the page in place,
// without reloading: the projector's bars, counts and means, and on the vote page which items
// are open. A list with data-live-url="…" and data-poll="<ms>" holds one [data-item] per item.
(function () {
  "use strict";

  const list = document.getElementById("vote-items");
  if (!list || !list.dataset.liveUrl) {
    return;
  }
  const url = list.dataset.liveUrl;
  const poll = Number(list.dataset.poll) || 1000;
  const status = document.getElementById("live-status");
  const meanFormat = new Intl.NumberFormat(document.documentElement.lang || "de", {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  let failures = 0;

  function setText(element, selector, text) {
    const target = element.querySelector(selector);
    if (target && target.textContent !== text) {
      target.textContent = text;
    }
  }

  function render(data) {
    const elements = list.querySelectorAll("[data-item]");
    if (elements.length !== data.items.length) {
      window.location.reload(); // the moderator added or removed an item: show the new list
      return;
    }
    for (const item of data.items) {
      const element = list.querySelector(`[data-item="${item.id}"]`);
      if (!element) {
        window.location.reload();
        return;
      }
      element.dataset.state = item.state;
      const counts = element.querySelectorAll("[data-count]");
      element.querySelectorAll(".bar-fill").forEach((bar, index) => {
        const share = item.total ? (100 * item.counts[index]) / item.total : 0;
        bar.style.width = `${share}%`;
      });
      counts.forEach((cell, index) => {
        cell.textContent = String(item.counts[index]);
      });
      setText(element, "[data-total]", String(item.total));
      setText(element, "[data-mean]", item.mean === null ? "–" : meanFormat.format(item.mean));
      const label = element.querySelector("[data-total-label]");
      if (label) {
        label.textContent = item.total === 1 ? label.dataset.one : label.dataset.many;
      }
    }
  }

  async function refresh() {
    try {
      // "no-cache": the browser revalidates with the ETag; an unchanged result costs a 304.
      const response = await fetch(url, { cache: "no-cache", headers: { Accept: "application/json" } });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      render(await response.json());
      failures = 0;
      if (status) {
        status.textContent = "";
      }
    } catch (error) {
      failures += 1;
      if (status && failures >= 3) {
        status.textContent = status.dataset.stale || "";
      }
    }
    window.setTimeout(refresh, document.hidden ? poll * 5 : poll);
  }

  refresh();
})();
