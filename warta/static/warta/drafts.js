// Drafts kept on the device: what is typed into a form's text area is stored in this
// browser's localStorage, per signed-in person, page and field, until the form was sent
// and the server took it. A draft written with a bad connection survives a failed send,
// a closed tab or a reload; the page then offers "Pulihkan teks" or "Buang".
// Cleared after a successful send and on signing out. Opt out with data-no-draft.
// Vendored with warta (no library); loaded on every page by base.html.
(function () {
  "use strict";
  var owner = document.body.getAttribute("data-draft-owner");
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) return;
  var PREFIX = "warta:draft:";
  var PENDING = "warta:draft-pending";

  function allKeys(prefix) {
    var keys = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(prefix) === 0) keys.push(key);
    }
    return keys;
  }
  function forget(keys) { keys.forEach(function (k) { store.removeItem(k); }); }

  // Signing out takes the person's drafts off the device (a shared phone or office PC).
  var signingOut = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (owner && form.matches("form[action$='/keluar/']")) {
      signingOut = true;
      forget(allKeys(PREFIX + owner + ":"));
      forget(allKeys("warta-composer-"));  // the composer keeps its own draft (composer.js)
      sessionStorage.removeItem(PENDING);
    }
  }, true);
  if (!owner) return;

  function keyFor(field) {
    var form = field.form;
    var action = form ? (form.getAttribute("action") || location.pathname) : location.pathname;
    return PREFIX + owner + ":" + location.pathname + "|" + action + "|" + (field.name || field.id);
  }
  function read(key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(key, text) {
    try {
      if (text) store.setItem(key, JSON.stringify({ text: text, at: Date.now() }));
      else store.removeItem(key);
    } catch (e) { /* storage full or refused: the form still works */ }
  }
  function formKeys(form) {
    return Array.prototype.map.call(form.querySelectorAll("textarea[name]"), keyFor);
  }
  // A send that reached the server leads to the page after it: one opened from the form's
  // page (the referrer) that is either another page (the post-redirect-get of a success)
  // or the same page with a success message. A same page with errors, the browser's
  // error page of a lost connection, or any page opened otherwise leaves the draft.
  var pending = null;
  try { pending = JSON.parse(sessionStorage.getItem(PENDING) || "null"); } catch (e) { pending = null; }
  sessionStorage.removeItem(PENDING);
  if (pending && pending.owner === owner && document.referrer) {
    var from = new URL(document.referrer, location.href);
    var succeeded = from.origin === location.origin && from.pathname === pending.from &&
      (location.pathname !== pending.from || !!document.querySelector("main .messages .success"));
    if (succeeded) forget(pending.keys);
  }

  function offer(field, draft) {
    var box = document.createElement("div");
    box.className = "draft-offer";
    box.setAttribute("role", "status");
    var when = new Date(draft.at);
    var text = document.createElement("span");
    text.textContent = "Ada teks yang belum terkirim di perangkat ini (" +
      when.toLocaleString("id-ID", { dateStyle: "medium", timeStyle: "short" }) + ").";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = "Pulihkan teks";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "secondary outline";
    drop.textContent = "Buang";
    restore.addEventListener("click", function () {
      field.value = draft.text;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      box.remove();
      field.focus();
    });
    drop.addEventListener("click", function () {
      store.removeItem(keyFor(field));
      box.remove();
    });
    box.appendChild(text);
    box.appendChild(restore);
    box.appendChild(drop);
    field.parentNode.insertBefore(box, field);
  }

  function watch(root) {
    // The composer keeps its whole form itself (composer.js); every other text area here.
    root.querySelectorAll("form:not(#composer) textarea[name]:not([data-no-draft])").forEach(function (field) {
      if (field.dataset.draftWatched) return;
      field.dataset.draftWatched = "1";
      var key = keyFor(field);
      var draft = read(key);
      if (draft && draft.text && draft.text !== field.value) offer(field, draft);
      var timer = null;
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          // Nothing to keep while the field holds what the server gave.
          write(key, field.value === field.defaultValue ? "" : field.value);
        }, 300);
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "composer" || !form.querySelector("textarea[name]")) return;
    // Save what is in the fields now (the debounce may not have run yet).
    form.querySelectorAll("textarea[name]:not([data-no-draft])").forEach(function (f) {
      if (f.value !== f.defaultValue) write(keyFor(f), f.value);
    });
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-put")) return;  // see below
    sessionStorage.setItem(PENDING, JSON.stringify({ owner: owner, from: location.pathname, keys: formKeys(form) }));
  });
  // HTMX sends without leaving the page: a 2xx answer means the server took it.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (form && event.detail.successful) forget(formKeys(form));
  });
  document.body.addEventListener("htmx:afterSwap", function (event) { watch(event.target); });
  // Leaving the page (a link, a reload, a send the browser blocked because a required
  // field is empty) must not lose the last 300 ms of typing to the debounce.
  window.addEventListener("pagehide", function () {
    if (signingOut) return;
    document.querySelectorAll("textarea[data-draft-watched]").forEach(function (f) {
      write(keyFor(f), f.value === f.defaultValue ? "" : f.value);
    });
  });
  watch(document);
})();
