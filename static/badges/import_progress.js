// The import wizard's progress page: posts the next chunk of the dry run or the import until
// every chunk is done, moving the progress bar, then reloads the page, which then shows the
// results. A chunk asked for twice is done once (the server answers from its stored result),
// so a failed request is simply sent again. Without script the page's button does the same,
// one chunk per click.
(function () {
  "use strict";
  var form = document.getElementById("import-run");
  if (!form || !window.fetch) { return; }
  var bar = document.getElementById("import-progress");
  var label = document.getElementById("import-progress-label");
  var problem = document.getElementById("import-progress-error");
  var chunk = form.elements.chunk;
  var failures = 0;
  form.hidden = true;

  function next() {
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok || response.headers.get("Content-Type").indexOf("application/json") !== 0) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    }).then(function (answer) {
      failures = 0;
      problem.hidden = true;
      bar.max = answer.rows;
      bar.value = answer.done;
      bar.textContent = answer.label;
      label.textContent = answer.label;
      chunk.value = answer.next;
      if (answer.finished) {
        window.location.reload();
      } else {
        next();
      }
    }).catch(function () {
      failures += 1;
      problem.hidden = false;
      if (failures < 5) {
        window.setTimeout(next, 2000 * failures);
      } else {
        form.hidden = false;
      }
    });
  }
  next();
}());
