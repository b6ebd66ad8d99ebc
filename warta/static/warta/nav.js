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
