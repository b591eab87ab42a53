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

  // The words come from the page, in its language: the announcer carries the button texts
  // and messages, each button its own names after a copy (base.html, display.py).
  const words = (document.getElementById("announcer") || {dataset: {}}).dataset;
  function copied() {
    show(
      words.copied || "Copied",
      button.dataset.copiedLabel || label.replace(/^Copy\b/, "Copied"),
      words.copiedMessage || "Copied to the clipboard."
    );
  }
  function failed() {
    show(
      words.copyFailed || "Copy failed",
      button.dataset.failedLabel || "Copy failed: " + label.replace(/^Copy\s*/, ""),
      words.copyFailedMessage || "Copy failed: the browser did not allow it."
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

// A keyboard user keeps their place when a table region is re-rendered: by an htmx swap (the
// customer list's pager) or by a page load its own link or button started (the report's sort
// headers and pager, "Save columns"). Focus goes to the same control in the new content (by
// id, or by its text, "Error code", "next »"), or, when there is none, to the region itself,
// so Tab continues from there instead of from the top of the page.
const FOCUS_REGIONS = "#binding-table, #customer-results";
const FOCUSABLE = "a[href], button, summary, input, select, textarea";
const PENDING_FOCUS_KEY = "dashboard-pending-focus";
// A stored place older than this is not restored: the load it was for did not happen.
const PENDING_FOCUS_MS = 10000;

function normalizedText(element) {
  return element.textContent.replace(/\s+/g, " ").trim();
}

// What identifies a control across a re-render; never row contents (names, emails): only
// controls outside the table's body are remembered.
function describeControl(element) {
  return {
    id: element.id || "",
    tag: element.tagName.toLowerCase(),
    text: normalizedText(element),
    rel: element.getAttribute("rel") || "",
  };
}

function findControl(region, wanted) {
  if (wanted.id) {
    const byId = document.getElementById(wanted.id);
    if (byId && region.contains(byId)) {
      return byId;
    }
  }
  const sameText = Array.from(region.querySelectorAll(wanted.tag)).filter(function (candidate) {
    return candidate.matches(FOCUSABLE) && normalizedText(candidate) === wanted.text;
  });
  return sameText.find(function (candidate) {
    return (candidate.getAttribute("rel") || "") === wanted.rel;
  }) || sameText[0] || null;
}

function focusRegion(region) {
  if (!region.hasAttribute("tabindex")) {
    region.setAttribute("tabindex", "-1");
  }
  region.focus();
}

function restoreFocus(region, wanted) {
  const control = findControl(region, wanted);
  if (control) {
    control.focus();
    if (document.activeElement === control) {
      return;
    }
    // Hidden now (the column chooser closes on save): its <details>' summary instead.
    const details = control.closest("details");
    const summary = details && details.querySelector("summary");
    if (summary && region.contains(summary)) {
      summary.focus();
      if (document.activeElement === summary) {
        return;
      }
    }
  }
  focusRegion(region);
}

function rememberedControl(element) {
  const control = element && element.closest ? element.closest(FOCUSABLE) : null;
  const region = control && control.closest(FOCUS_REGIONS);
  if (!region || control.closest("tbody")) {
    return null;
  }
  return { region: region, description: describeControl(control) };
}

// htmx: the focused control is about to be replaced by the swap.
const focusBeforeSwap = new WeakMap();
document.addEventListener("htmx:beforeSwap", function (event) {
  const target = event.detail.target;
  const remembered = rememberedControl(document.activeElement);
  if (target && remembered && target.contains(document.activeElement)) {
    focusBeforeSwap.set(target, remembered.description);
  }
});
document.addEventListener("htmx:afterSwap", function (event) {
  const target = event.detail.target;
  const wanted = target && focusBeforeSwap.get(target);
  if (!wanted) {
    return;
  }
  focusBeforeSwap.delete(target);
  const region = target.matches(FOCUS_REGIONS) ? target : target.closest(FOCUS_REGIONS);
  if (region && !region.contains(document.activeElement)) {
    restoreFocus(region, wanted);
  }
});

// A page load: a link or submit button activated from the keyboard (a click with detail 0)
// that htmx did not take over. Kept in sessionStorage for the next page of this tab.
document.addEventListener("click", function (event) {
  if (event.detail !== 0 || event.defaultPrevented) {
    return;
  }
  const control = event.target.closest("a[href], button");
  if (!control || (control.tagName === "BUTTON" && control.type !== "submit")) {
    return;
  }
  const remembered = rememberedControl(control);
  if (!remembered) {
    return;
  }
  try {
    sessionStorage.setItem(PENDING_FOCUS_KEY, JSON.stringify({
      path: location.pathname,
      region: remembered.region.id,
      control: remembered.description,
      at: Date.now(),
    }));
  } catch (error) {
    // No storage (private mode, quota): the page still works, focus starts at the top.
  }
});

(function restorePendingFocus() {
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING_FOCUS_KEY) || "null");
    sessionStorage.removeItem(PENDING_FOCUS_KEY);
  } catch (error) {
    return;
  }
  if (!pending || pending.path !== location.pathname || Date.now() - pending.at > PENDING_FOCUS_MS) {
    return;
  }
  const region = document.getElementById(pending.region);
  if (region && region.matches(FOCUS_REGIONS)) {
    restoreFocus(region, pending.control);
  }
})();

// One history entry per distinct URL: the report's filter form asks again on "change" and
// on "submit", so choosing a select and then pressing Apply pushed the same URL twice, and
// Back needed two presses. A push of the URL already shown becomes a replace.
document.addEventListener("htmx:beforeHistoryUpdate", function (event) {
  const update = event.detail.history;
  if (update && update.type === "push"
      && new URL(update.path, location.href).href === location.href) {
    update.type = "replace";
  }
});
