// The dti publication's only script: sorting tables by a column, filtering rows and
// searching names with or without Vietnamese diacritics. Every page reads without it.
// Events are delegated from the document, so pages inserted later (the web app's
// ministry view) work too.
(function () {
  "use strict";
  // The same folding as the engine's `vietnamese::fold`: lower case, no tones or marks.
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  }

  function sortBy(th) {
    var table = th.closest("table");
    var body = table.tBodies[0];
    var index = th.cellIndex;
    var current = th.getAttribute("aria-sort");
    var ascending = current ? current === "descending" : th.dataset.sort === "asc";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.map.call(body.rows, function (row, position) {
      var cell = row.cells[index];
      var text = cell ? cell.dataset.v : undefined;
      var value = text === undefined || text === "" ? NaN : Number(text);
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
  // Exposed for tests and for the web app.
  window.dtiSite = { fold: fold, applyFilters: applyFilters, sortBy: sortBy };
})();
