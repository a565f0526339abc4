// The dti publication's only script: sorting tables by a column, filtering rows and
// searching names with or without Vietnamese diacritics. Every page reads without it.
// Events are delegated from the document, so pages inserted later (the web app's
// ministry view) work too. Long tables come with their first screen of rows; the rest
// wait as text in a `<noscript data-rows>` after the table (cheap to load) and are moved
// into it while the browser is idle, or at once before a search, filter or sort.
(function () {
  "use strict";
  // The same folding as the engine's `vietnamese::fold`: lower case, no tones or marks.
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  }

  // Deferred rows not yet in their table, oldest first.
  var deferred = [];
  var ROWS_PER_STEP = 200;

  function defer(noscript) {
    if (noscript.dtiDeferred) { return; }
    noscript.dtiDeferred = true;
    var text = noscript.textContent;
    var start = text.indexOf("<tbody>");
    var end = text.lastIndexOf("</tbody>");
    var table = noscript.previousElementSibling;
    if (start === -1 || end === -1 || !table || !table.tBodies[0]) { return; }
    var rows = text.slice(start + 7, end).split("</tr>");
    rows.pop();
    deferred.push({ noscript: noscript, body: table.tBodies[0], rows: rows, next: 0, parsed: document.createDocumentFragment() });
  }

  // Parses up to `count` deferred rows of the first waiting table; once all are parsed,
  // adds them to the table at once (one layout of the table, not one per step).
  function expandStep(count) {
    var entry = deferred[0];
    if (!entry.noscript.isConnected) {
      // Its page was replaced (the web app moved on).
      deferred.shift();
      return;
    }
    var template = document.createElement("template");
    var part = entry.rows.slice(entry.next, entry.next + count);
    template.innerHTML = "<table><tbody>" + part.join("</tr>") + "</tr></tbody></table>";
    var parsed = template.content.querySelector("tbody");
    while (parsed.firstChild) { entry.parsed.appendChild(parsed.firstChild); }
    entry.next += part.length;
    if (entry.next >= entry.rows.length) {
      entry.body.appendChild(entry.parsed);
      entry.noscript.remove();
      deferred.shift();
    }
  }

  function expandAll() {
    while (deferred.length > 0) { expandStep(Infinity); }
  }

  var idle = window.requestIdleCallback || function (callback) {
    return setTimeout(function () { callback({ timeRemaining: function () { return 8; } }); }, 1);
  };
  var scheduled = false;
  function schedule() {
    if (scheduled || deferred.length === 0) { return; }
    scheduled = true;
    idle(function work(deadline) {
      while (deferred.length > 0 && deadline.timeRemaining() > 4) { expandStep(ROWS_PER_STEP); }
      if (deferred.length > 0) { idle(work); } else { scheduled = false; }
    });
  }

  function collect(root) {
    if (root.matches && root.matches("noscript[data-rows]")) { defer(root); }
    if (root.querySelectorAll) { root.querySelectorAll("noscript[data-rows]").forEach(defer); }
    schedule();
  }

  function sortBy(th) {
    expandAll();
    var table = th.closest("table");
    var body = table.tBodies[0];
    var index = th.cellIndex;
    var current = th.getAttribute("aria-sort");
    var ascending = current ? current === "descending" : th.dataset.sort === "asc";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var comma = (document.documentElement.lang || "").indexOf("vi") === 0;
    var rows = Array.prototype.map.call(body.rows, function (row, position) {
      // A cell's `data-v`, or else the number it shows ("96.43 #51" sorts as 96.43).
      var cell = row.cells[index];
      var text = !cell ? "" : cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent;
      // Vietnamese pages write 1.234,5: thousands by ".", decimals by ",".
      if (comma && cell && cell.dataset.v === undefined) { text = text.replace(/\./g, "").replace(",", "."); }
      var value = text === "" ? NaN : parseFloat(text);
      return { row: row, value: isNaN(value) ? null : value, position: position };
    });
    rows.sort(function (a, b) {
      if (a.value === null || b.value === null) {
        return a.value === b.value ? a.position - b.position : a.value === null ? 1 : -1;
      }
      var order = ascending ? a.value - b.value : b.value - a.value;
      return order !== 0 ? order : a.position - b.position;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (entry) { fragment.appendChild(entry.row); });
    body.appendChild(fragment);
  }

  function applyFilters(form) {
    expandAll();
    var scope = form.closest("main") || document;
    var search = form.querySelector("[data-search]");
    var query = search ? fold(search.value.trim()) : "";
    var filters = Array.prototype.filter.call(form.querySelectorAll("select[data-filter]"), function (select) {
      return select.value !== "";
    });
    var section = form.querySelector("select[data-filter-section]");
    scope.querySelectorAll("section[data-block]").forEach(function (block) {
      block.hidden = !!section && section.value !== "" && block.dataset.block !== section.value;
    });
    var shown = 0;
    var total = 0;
    scope.querySelectorAll("table.filterable").forEach(function (table) {
      var visible = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var keep = (query === "" || (row.dataset.s || "").indexOf(query) !== -1) &&
          filters.every(function (select) { return row.dataset[select.dataset.filter] === select.value; });
        row.hidden = !keep;
        if (keep) { visible += 1; }
      });
      var block = table.closest("section[data-block]");
      var counted = block && block.hidden ? 0 : visible;
      shown += counted;
      total += table.tBodies[0].rows.length;
      var count = block && block.querySelector("[data-count]");
      if (count) { count.textContent = visible + " / " + table.tBodies[0].rows.length; }
    });
    var output = form.querySelector("[data-shown]");
    if (output) { output.textContent = shown + " / " + total; }
  }

  document.addEventListener("click", function (event) {
    var th = event.target.closest && event.target.closest("th[data-sort]");
    if (th) { sortBy(th); }
  });
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target.closest && event.target.closest("form.filters");
      if (form) { applyFilters(form); }
    });
  });
  // Pages present now, and pages inserted later (the web app's ministry view).
  collect(document);
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) { mutation.addedNodes.forEach(collect); });
  }).observe(document.documentElement, { childList: true, subtree: true });
  // Exposed for tests and for the web app.
  window.dtiSite = {
    fold: fold, applyFilters: applyFilters, sortBy: sortBy, expandAll: expandAll,
    pending: function () { return deferred.length; }
  };
})();
