// Behaviour for the dashboard's pages. A static file, never inline: the CSP allows only self.
// Event delegation on document, so buttons inside htmx-swapped fragments work too.
"use strict";

// How long a copy button says "Copied" (or "Copy failed") before it reads "Copy" again.
const COPY_FEEDBACK_MS = 1500;
// Each copy button's pending restore, so a second click restarts the wait, not doubles it.
const copyRestoreTimers = new WeakMap();

// Says `message` to screen readers through the page's polite live region (#announcer, in
// base.html): a change to the focused button's name alone is not reliably read out. The
// region is emptied first, so the same message twice in a row is announced twice.
function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) {
    return;
  }
  region.textContent = "";
  setTimeout(function () { region.textContent = message; }, 50);
}

document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  // The resting text and name, kept from the first click: read again during the feedback
  // they would be "Copied", and the button would never go back to "Copy".
  if (!("copyText" in button.dataset)) {
    button.dataset.copyText = button.textContent;
    button.dataset.copyLabel = button.getAttribute("aria-label") || "";
  }
  const text = button.dataset.copyText;
  const label = button.dataset.copyLabel;

  function show(feedback, feedbackLabel, message) {
    button.textContent = feedback;
    // A button named by aria-label ("Copy the full uuid …") keeps that name over its text:
    // the name must change too, or a screen reader still hears "Copy" on the button.
    if (label) {
      button.setAttribute("aria-label", feedbackLabel);
    }
    announce(message);
    clearTimeout(copyRestoreTimers.get(button));
    copyRestoreTimers.set(button, setTimeout(function () {
      button.textContent = text;
      if (label) {
        button.setAttribute("aria-label", label);
      }
      announce("");
    }, COPY_FEEDBACK_MS));
  }

  function copied() {
    show("Copied", label.replace(/^Copy\b/, "Copied"), "Copied to the clipboard.");
  }
  function failed() {
    show(
      "Copy failed",
      "Copy failed: " + label.replace(/^Copy\s*/, ""),
      "Copy failed: the browser did not allow it."
    );
  }
  // No clipboard API (a page not served over https): say so rather than do nothing.
  if (!navigator.clipboard) {
    failed();
    return;
  }
  navigator.clipboard.writeText(button.dataset.copy).then(copied, failed);
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
