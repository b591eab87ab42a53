"""How customer and token fields look on a page, shared by the list table and the detail page.

Every function returns HTML built with ``format_html`` (the fast twin in ``fast_html``), which
escapes each value: upstream
text (names, error messages, even token states) is untrusted.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ui.fast_html import escape_html
from ui.fast_html import format_html_fast as format_html
from wonder import CreditCard, PaymentToken

__all__ = [
    "EMPTY",
    "bind_error_text",
    "clipped",
    "card_summary",
    "short_uuid",
    "token_state_badge",
    "uuid_with_copy",
]

EMPTY = "—"

# Colour by what an agent must do: green usable, amber waiting, red broken, grey "ask".
_STATE_BADGE_CLASSES = {
    "success": "text-bg-success",
    "pending": "text-bg-warning",
    "failed": "text-bg-danger",
    "unknown": "text-bg-secondary",
}
# The dashboard's word for each kind of state (Wonder's own state, when unknown, is shown raw).
_STATE_KIND_WORDS = {
    "success": _("success"),
    "pending": _("pending"),
    "failed": _("failed"),
}


def token_state_badge(token: PaymentToken | None) -> SafeString | str:
    """A coloured badge for the token's state; an undocumented state shows its raw value."""
    if token is None:
        return EMPTY
    kind = token.state_kind
    if kind == "unknown":
        return format_html(
            '<span class="badge {}" title="{}"><span translate="no">{}</span> {}</span>',
            _STATE_BADGE_CLASSES[kind],
            gettext("A state the dashboard does not know"),
            token.state or gettext("no state"),
            gettext("(unknown)"),
        )
    return format_html(
        '<span class="badge {}">{}</span>', _STATE_BADGE_CLASSES[kind], _STATE_KIND_WORDS[kind]
    )


def card_summary(card: CreditCard | None) -> SafeString | str:
    """``Visa •••• 4242 · exp 08/2030``; only ever the last 4 digits of the (masked) number.

    A card past its expiry month says so: a support agent would otherwise read an old date
    as a usable card.
    """
    if card is None:
        return EMPTY
    # Each value escaped once and the pieces joined: on the list this runs for every row.
    parts = []
    if card.brand:
        parts.append(f'<span translate="no">{escape_html(card.brand)}</span>')
    if card.last4:
        parts.append(f'<span class="text-nowrap">•••• {escape_html(card.last4)}</span>')
    if card.expiry:
        # "exp 08/2030": the words translated, the date as Wonder sends it.
        expiry = escape_html(gettext("exp %(expiry)s") % {"expiry": card.expiry})
        if card.is_expired(timezone.localdate()):
            # Not inside the f-string: xgettext does not read those (makemessages would miss it).
            expired = escape_html(gettext("(expired)"))
            parts.append(
                f'<span class="text-nowrap text-danger card-expired">{expiry} {expired}</span>'
            )
        else:
            parts.append(f'<span class="text-nowrap">{expiry}</span>')
    if not parts:
        return EMPTY
    return SafeString(" · ".join(parts))


def bind_error_text(token: PaymentToken | None) -> str:
    """``code: message`` of a failed binding, or "" when the binding did not fail."""
    if token is None or not token.has_bind_error:
        return ""
    return ": ".join(part for part in (token.error_code, token.error_msg) if part)


def short_uuid(uuid: str) -> str:
    """The first 8 characters: enough to tell rows apart at a glance."""
    return uuid if len(uuid) <= 13 else f"{uuid[:8]}…"


def uuid_with_copy(uuid: str) -> SafeString:
    """The shortened uuid, the full value on hover, and a copy button (static/js)."""
    full = escape_html(uuid)  # escaped once, written several times
    # The button's names before and after a click, in the page's language (static/js).
    names = {
        "aria-label": gettext("Copy the full uuid %(uuid)s"),
        "data-copied-label": gettext("Copied the full uuid %(uuid)s"),
        "data-failed-label": gettext("Copy failed: the full uuid %(uuid)s"),
    }
    copy = escape_html(gettext("Copy"))
    attributes = " ".join(
        f'{name}="{escape_html(text % {"uuid": uuid})}"' for name, text in names.items()
    )
    return SafeString(
        f'<span class="text-nowrap"><code title="{full}">{escape_html(short_uuid(uuid))}</code> '
        f'<button type="button" class="btn btn-link btn-sm p-0 copy-button" data-copy="{full}" '
        f"{attributes}>{copy}</button></span>"
    )


def clipped(value: str, *, wide: bool = False, identifier: bool = False) -> SafeString | str:
    """An upstream value that may be very long (a 300-character name or email), cut to its
    column's width with an ellipsis (``.clip`` in dashboard.css); the whole value on hover
    and on the customer's own page."""
    if not value:
        return EMPTY
    text = escape_html(value)
    css_class = "clip clip-wide" if wide else "clip clip-id" if identifier else "clip"
    return SafeString(f'<span class="{css_class}" title="{text}">{text}</span>')
