"""The "My notifications" form: how often a user wants the failed-bindings digest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from customers_app.models import DigestSubscription

__all__ = ["DigestSubscriptionForm"]


class DigestSubscriptionForm(forms.ModelForm):
    daily_hour = forms.TypedChoiceField(
        label=_("Hour of the daily digest"),
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        help_text=_("In the dashboard's time zone. Only used for the daily digest."),
    )

    class Meta:
        model = DigestSubscription
        fields = ["frequency", "daily_hour"]
        labels = {"frequency": _("Email me a digest of new failed bindings")}
        widgets = {"frequency": forms.RadioSelect}
