// Behaviour for the dashboard's pages. A static file, never inline: the CSP allows only self.
// Event delegation on document, so buttons inside htmx-swapped fragments work too.
"use strict";

document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) {
    return;
  }
  const label = button.textContent;
  navigator.clipboard.writeText(button.dataset.copy).then(
    function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    },
    function () {
      button.textContent = "Copy failed";
      setTimeout(function () { button.textContent = label; }, 1500);
    }
  );
});
