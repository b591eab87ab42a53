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

// An htmx GET (a filter form, a pager link) leaves out empty parameters: the URL it asks for
// and pushes to the address bar is built from the same parameters, so it stays short enough
// to read and share ("?binding_status=current&error_code=05", not "?q=&binding_status=current
// &linked_source_type=&token_type=&..."). The views read a missing parameter as an empty one.
// A plain submission (no JavaScript) still sends every field, and works the same. Not for
// other methods: there an emptied field means "clear it".
document.addEventListener("htmx:configRequest", function (event) {
  const detail = event.detail;
  if (String(detail.verb).toLowerCase() !== "get") {
    return;
  }
  const formData = detail.formData;
  for (const name of Array.from(new Set(formData.keys()))) {
    const values = formData.getAll(name);
    const kept = values.filter(function (value) { return value !== ""; });
    if (kept.length !== values.length) {
      formData.delete(name);
      kept.forEach(function (value) { formData.append(name, value); });
    }
  }
});
