"""What every browser journey checks besides its own steps: console errors, page errors,
CSP violations and accessibility (axe-core).

Kept apart from the fixtures so the checks can be tested on pages built for the purpose
(``test_browser_checks.py``): a guard that never fails would be a defect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Error, Page

__all__ = [
    "AXE_SCRIPT",
    "BLOCKING_IMPACTS",
    "BrowserProblems",
    "accessibility_violations",
    "describe_violations",
]

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
# axe-core's two worst levels: a person using a screen reader or keyboard cannot get past them.
BLOCKING_IMPACTS = ("serious", "critical")

# Runs before any page script, through the DevTools protocol, so the page's own CSP does not
# block it. Chromium also logs violations to the console, but a report-only policy or a
# violation inside an iframe may not say so as an error; the event always fires.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  const blocked = event.blockedURI || 'inline code';
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked}`);
});
"""


@dataclass
class BrowserProblems:
    """Console errors, uncaught page errors and CSP violations seen on one page.

    A journey that expects an error status (for example the 503 page when Wonder is down)
    says so with ``allow``; anything else seen is a problem.
    """

    messages: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        """Start collecting from ``page``; returns it for chaining."""
        page.add_init_script(_CSP_LISTENER)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        self.pages.append(page)
        return page

    def settle(self) -> None:
        """Let events already raised in the browser arrive before the problems are read."""
        for page in self.pages:
            if not page.is_closed():
                page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")

    def allow(self, pattern: str) -> None:
        """Ignore console errors matching the regular expression ``pattern``."""
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        """The problems not covered by an ``allow``."""
        return [
            message
            for message in self.messages
            if not any(pattern.search(message) for pattern in self.allowed)
        ]

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            self.messages.append(f"console error: {message.text} ({location})")

    def _on_page_error(self, error: Error) -> None:
        self.messages.append(f"page error: {error.message}")


def accessibility_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now; the serious and critical violations.

    The script is injected through the DevTools protocol (``evaluate``), which a strict
    page CSP does not apply to, so the journeys keep the CSP the app sends.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate(
        """async () => {
          const results = await axe.run(document, {resultTypes: ['violations']});
          return results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
          }));
        }"""
    )
    return [violation for violation in results if violation["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    """A readable list: rule, impact, what to do, and each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {node['target']}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"        {summary_line}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)
