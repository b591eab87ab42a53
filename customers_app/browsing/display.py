"""How customer and token fields look on a page, shared by the list table and the detail page.

Every function returns HTML built with ``format_html`` (the fast twin in ``fast_html``), which
escapes each value: upstream
text (names, error messages, even token states) is untrusted.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import SafeString

from ui.fast_html import escape_html
from ui.fast_html import format_html_fast as format_html
from wonder import CreditCard, PaymentToken

__all__ = [
    "EMPTY",
    "bind_error_text",
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


def token_state_badge(token: PaymentToken | None) -> SafeString | str:
    """A coloured badge for the token's state; an undocumented state shows its raw value."""
    if token is None:
        return EMPTY
    kind = token.state_kind
    if kind == "unknown":
        return format_html(
            '<span class="badge {}" title="A state the dashboard does not know">{} (unknown)'
            "</span>",
            _STATE_BADGE_CLASSES[kind],
            token.state or "no state",
        )
    return format_html('<span class="badge {}">{}</span>', _STATE_BADGE_CLASSES[kind], kind)


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
        parts.append(escape_html(card.brand))
    if card.last4:
        parts.append(f'<span class="text-nowrap">•••• {escape_html(card.last4)}</span>')
    if card.expiry:
        if card.is_expired(timezone.localdate()):
            parts.append(
                f'<span class="text-nowrap text-danger card-expired">exp {escape_html(card.expiry)}'
                " (expired)</span>"
            )
        else:
            parts.append(f'<span class="text-nowrap">exp {escape_html(card.expiry)}</span>')
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
    full = escape_html(uuid)  # escaped once, written three times
    return SafeString(
        f'<span class="text-nowrap"><code title="{full}">{escape_html(short_uuid(uuid))}</code> '
        f'<button type="button" class="btn btn-link btn-sm p-0 copy-button" data-copy="{full}" '
        f'aria-label="Copy the full uuid {full}">Copy</button></span>'
    )
