"""The page a user whose role needs a second factor lands on until they have one."""

from __future__ import annotations

from django.shortcuts import redirect, render

from .policy import mfa_required_for, user_has_second_factor

__all__ = ["mfa_setup_required_view"]


def mfa_setup_required_view(request):
    """Offer the authenticator app and, where the browser has one, a passkey."""
    if not mfa_required_for(request.user) or user_has_second_factor(request.user):
        return redirect("customers:list")
    return render(request, "accounts/mfa_setup_required.html")
