// The site menu folds behind one button on a narrow screen (warta.css); Escape closes it.
(function () {
  "use strict";
  var header = document.querySelector("body > header.site");
  var button = header && header.querySelector(".nav-toggle button");
  if (!button) return;
  header.classList.add("nav-folds");
  function setOpen(open) {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("nav-open", open);
  }
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("nav-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();

// Tables become stacked cards on a phone (warta.css, table.stack): each cell is given the
// name of its column to show above its value. Tables marked data-keep-table (a calendar
// grid, a side-by-side diff) stay tables. Runs again after HTMX swaps in new rows.
(function () {
  "use strict";
  function label(root) {
    root.querySelectorAll("main table:not([data-keep-table])").forEach(function (table) {
      var heads = [];
      var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!headRow) return;
      Array.prototype.forEach.call(headRow.cells, function (cell) {
        var span = cell.colSpan || 1;
        for (var i = 0; i < span; i++) heads.push(cell.textContent.trim());
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (cell.colSpan < heads.length && !cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", heads[col] || "");
            }
            col += cell.colSpan || 1;
          });
        });
      });
      table.classList.add("stack");
    });
  }
  label(document);
  document.body.addEventListener("htmx:afterSettle", function (event) { label(event.target.closest("main") || document); });
})();
