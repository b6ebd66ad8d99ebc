// Installable warta: the service worker (/sw.js) keeps the static assets and the offline page.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // No worker (private mode, an old browser): warta works as a plain site.
    });
  });
})();
