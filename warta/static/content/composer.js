// The composer's small helpers (strict CSP: no inline handlers). Without JavaScript the
// form still works: previews come with each page, uploads go with the form.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) { return; }
  var key = "warta-composer-" + form.getAttribute("data-agency");

  function changed(input) {
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Hashtag chips: one tap adds the tag (or takes it away), nothing retyped.
  var tags = form.querySelector("[name=hashtags]");
  function syncChips() {
    var have = (tags.value || "").toLowerCase().split(/\s+/);
    form.querySelectorAll(".chip[data-tag]").forEach(function (chip) {
      chip.setAttribute("aria-pressed", have.indexOf(chip.getAttribute("data-tag").toLowerCase()) >= 0 ? "true" : "false");
    });
  }
  form.addEventListener("click", function (event) {
    var chip = event.target.closest(".chip[data-tag]");
    if (chip && tags) {
      var tag = chip.getAttribute("data-tag");
      var words = (tags.value || "").split(/\s+/).filter(Boolean);
      var at = words.map(function (w) { return w.toLowerCase(); }).indexOf(tag.toLowerCase());
      if (at >= 0) { words.splice(at, 1); } else { words.push(tag); }
      tags.value = words.join(" ");
      syncChips();
      changed(tags);
      return;
    }
    var slot = event.target.closest(".chip[data-when]");
    if (slot) {
      var when = form.querySelector("[name=scheduled_at]");
      when.value = slot.getAttribute("data-when");
      changed(when);
    }
  });
  if (tags) { tags.addEventListener("input", syncChips); syncChips(); }

  // A picked file went to the media library: clear the input so the form does not send it again.
  var upload = document.getElementById("id_upload");
  if (upload) {
    upload.addEventListener("htmx:afterRequest", function () { upload.value = ""; });
  }

  // Typed text is kept on the device until the form is sent (a lost connection, a closed tab).
  function save() {
    var data = {};
    form.querySelectorAll("textarea, input[type=text], input[type=datetime-local]").forEach(function (el) {
      if (el.name && el.value) { data[el.name] = el.value; }
    });
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  }
  form.addEventListener("input", save);
  form.addEventListener("submit", function () {
    try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
  });
  var message = form.querySelector("[name=message]");
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  if (stored && message && !message.value && stored.message) {
    Object.keys(stored).forEach(function (name) {
      var el = form.querySelector("[name='" + name + "']");
      if (el && !el.value) { el.value = stored[name]; }
    });
    var note = document.createElement("p");
    note.className = "notice draft-restored";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-restored") || "";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "secondary outline";
    drop.textContent = form.getAttribute("data-discard") || "";
    drop.addEventListener("click", function () {
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
      window.location.reload();
    });
    note.appendChild(drop);
    form.parentNode.insertBefore(note, form);
    syncChips();
    changed(message);
  }
})();
