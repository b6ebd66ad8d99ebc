// Drag a scheduled post to another day of the calendar; the time of day stays the same.
// No inline handlers (strict CSP); the form-based reschedule on the post page is the fallback.
(function () {
  "use strict";
  var table = document.querySelector("table.calendar");
  if (!table) { return; }
  var template = table.getAttribute("data-move-url-template");
  var csrf = table.getAttribute("data-csrf");
  var status = document.getElementById("move-status");
  var dragged = null;

  table.addEventListener("dragstart", function (event) {
    var item = event.target.closest("li[data-variant]");
    if (!item) { return; }
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.getAttribute("data-variant"));
  });
  table.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest("td.day")) { event.preventDefault(); }
  });
  table.addEventListener("drop", function (event) {
    var cell = event.target.closest("td.day");
    if (!dragged || !cell) { return; }
    event.preventDefault();
    var item = dragged;
    dragged = null;
    var url = template.replace("/0/", "/" + item.getAttribute("data-variant") + "/");
    var body = new URLSearchParams();
    body.set("date", cell.getAttribute("data-date"));
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (response) {
      return response.text().then(function (text) {
        status.textContent = text;
        if (response.ok) { cell.querySelector("ul.items").appendChild(item); }
      });
    }).catch(function () { status.textContent = "Gagal memindahkan; coba lagi."; });
  });
}());
