"""Template filters over ``customers_app.browsing.display``, so the detail page and the list table
render tokens and cards the same way."""

from django import template

from customers_app.browsing import display

__all__ = ["bind_error", "card", "state_badge", "uuid_copy"]

register = template.Library()


@register.filter
def state_badge(token):
    """``{{ token|state_badge }}``: the coloured state badge."""
    return display.token_state_badge(token)


@register.filter
def card(credit_card):
    """``{{ token.credit_card|card }}``: brand, last 4 digits, expiry."""
    return display.card_summary(credit_card)


@register.filter
def bind_error(token):
    """``{{ token|bind_error }}``: ``code: message`` of a failed binding, or ""."""
    return display.bind_error_text(token)


@register.filter
def uuid_copy(uuid):
    """``{{ customer.uuid|uuid_copy }}``: short uuid, full on hover, copy button."""
    return display.uuid_with_copy(uuid)
