"""Find English the dashboard itself wrote on a page meant to be in another language.

Walks the HTML like a reader would: every text node and every attribute a person sees or
hears (``title``, ``placeholder``, ``aria-label``, ``alt``, a button's ``value``), and reports
each that still holds English words. Left out, because they are not the dashboard's words:

- anything inside an element marked ``translate="no"`` (data as it came: names, emails,
  Wonder's codes and messages; the templates and tables mark them) or ``<code>`` (uuids,
  request ids);
- anything inside an element in another language (``lang="en-gb"`` on the language switch);
- a select's option whose label is its own value (the report offers the rows' own values:
  error codes, token types, card brands);
- ``<script>`` and ``<style>``;
- proper nouns and identifiers that stay as they are in Chinese (``ALLOWED_WORDS``), and any
  ``data_values`` the caller knows are on the page (a customer's name in the page title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["ALLOWED_WORDS", "english_left"]

# Names and identifiers written the same way in the Chinese pages.
ALLOWED_WORDS = {
    "Wonder", "uuid", "CSV", "XLSX", "csv", "xlsx", "AppID", "IP", "Alipay", "WeChat", "Pay",
    "Secure", "Visa", "Mastercard", "English", "HH", "MM", "SS", "QR", "Webhook", "JavaScript",
}  # fmt: skip
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}(?:['’][A-Za-z]+)*")
# Identifiers that happen to hold letters: uuids (in a copy button's name) and dates.
_IDENTIFIERS = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_SEEN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
_SKIPPED_ELEMENTS = {"script", "style", "code"}
_VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass
class _Element:
    tag: str
    skipped: bool
    option_value: str | None = None
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = page_language.lower()
        self.stack: list[_Element] = []
        self.found: list[tuple[str, str]] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1].skipped

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.page_language = (attributes.get("lang") or self.page_language).lower()
        language = attributes.get("lang")
        skipped = (
            self._skipped()
            or tag in _SKIPPED_ELEMENTS
            or attributes.get("translate") == "no"
            or (language is not None and language.lower() != self.page_language)
        )
        if not skipped:
            for name in _SEEN_ATTRIBUTES:
                if attributes.get(name):
                    self.found.append((f"{tag}[{name}]", attributes[name]))
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                self.found.append(("input[value]", attributes.get("value") or ""))
        if tag in _VOID_ELEMENTS:
            return
        element = _Element(tag, skipped)
        if tag == "option":
            element.option_value = attributes.get("value") or ""
        self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_ELEMENTS and self.stack and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                element = self.stack[index]
                del self.stack[index:]
                if tag == "option" and not element.skipped:
                    label = " ".join("".join(element.text).split())
                    if label and label != element.option_value:
                        self.found.append(("option", label))
                return

    def handle_data(self, data):
        if self._skipped() or not data.strip():
            return
        if self.stack and self.stack[-1].tag == "option":
            self.stack[-1].text.append(data)
            return
        self.found.append((self.stack[-1].tag if self.stack else "text", " ".join(data.split())))


def english_left(html: str, *, data_values=(), page_language: str = "zh-hant") -> list[str]:
    """The pieces of text on ``html`` that still hold English words, as ``where: text``."""
    reader = _Reader(page_language)
    reader.feed(html)
    reader.close()
    left = []
    for where, text in reader.found:
        remaining = _IDENTIFIERS.sub(" ", text)
        for value in sorted((value for value in data_values if value), key=len, reverse=True):
            remaining = remaining.replace(value, " ")
        words = [word for word in _ENGLISH_WORD.findall(remaining) if word not in ALLOWED_WORDS]
        if words:
            left.append(f"{where}: {text}")
    return left
