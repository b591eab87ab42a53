"""A digest as an email (HTML and text, in the recipient's language) and as webhook JSON."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from accounts.languages import user_language_get
from customers_app.digests.content import DigestContent, digest_build

__all__ = [
    "digest_email_message",
    "digest_for_language",
    "digest_webhook_payload",
    "recipient_language",
]

_EMAIL_TEMPLATE = "customers_app/digests/digest_email"


def recipient_language(user) -> str:
    """The language a user's digests are written in: the one they chose with the header's
    switch (stored for them, ``accounts.languages``), else the dashboard's language."""
    return user_language_get(user=user) or settings.LANGUAGE_CODE


def digest_for_language(*, first_run_id: int, last_run_id: int, language: str) -> DigestContent:
    with override(language):
        return digest_build(
            first_run_id=first_run_id, last_run_id=last_run_id, blank_label=_("(no code)")
        )


def _subject(content: DigestContent) -> str:
    return ngettext(
        "%(count)s new failed or pending card binding",
        "%(count)s new failed or pending card bindings",
        content.total,
    ) % {"count": content.total}


def digest_email_message(
    *, content: DigestContent, to_address: str, language: str
) -> EmailMultiAlternatives:
    """The digest mail: a text body and an HTML alternative, every upstream value escaped
    in the HTML (Django's autoescape; names and messages come from Wonder)."""
    with override(language), timezone.override(settings.TIME_ZONE):
        context = {"digest": content, "language": language}
        subject = _("Wonder dashboard: %(summary)s") % {"summary": _subject(content)}
        text = render_to_string(f"{_EMAIL_TEMPLATE}.txt", context)
        html = render_to_string(f"{_EMAIL_TEMPLATE}.html", context)
    # A header cannot hold a line break: a subject is one line whatever a translation says.
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to_address],
    )
    message.attach_alternative(html, "text/html")
    return message


def _chat_escape(text: str) -> str:
    """Slack reads <...> as links and mentions (<!channel>): upstream text is escaped the
    way Slack asks (& < >); Teams shows the same text as it is."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def digest_webhook_payload(*, content: DigestContent, language: str) -> dict:
    """JSON for a Slack or Microsoft Teams incoming webhook: both show ``text``.

    The counts are repeated as data under ``digest`` for receivers that read it. Only
    reference numbers of the oldest open follow-ups go to a chat channel, no names.
    """
    with override(language), timezone.override(settings.TIME_ZONE):
        synced = timezone.localtime(content.synced_at).strftime("%Y-%m-%d %H:%M")
        lines = [
            _("%(summary)s (sync %(sync)s, %(synced)s)")
            % {"summary": _subject(content), "sync": content.last_run_id, "synced": synced},
            "",
            _("By error code:"),
        ]
        lines += [
            _("• %(label)s: %(failing)s failing, %(pending)s pending")
            % {"label": _chat_escape(row.label), "failing": row.failing, "pending": row.pending}
            for row in content.by_error_code
        ]
        lines += ["", _("By token type:")]
        lines += [
            _("• %(label)s: %(failing)s failing, %(pending)s pending")
            % {"label": _chat_escape(row.label), "failing": row.failing, "pending": row.pending}
            for row in content.by_token_type
        ]
        if content.oldest_open:
            lines += ["", _("Oldest open follow-ups:")]
            lines += [
                "• "
                + _("%(reference)s, first seen %(seen)s")
                % {
                    "reference": _chat_escape(row.reference_number),
                    "seen": timezone.localtime(row.first_seen_at).strftime("%Y-%m-%d"),
                }
                for row in content.oldest_open
            ]
        lines += ["", _("See them in the report: %(url)s") % {"url": content.report_url}]
    return {
        "text": "\n".join(str(line) for line in lines),
        "digest": {
            "syncs": [content.first_run_id, content.last_run_id],
            "synced_at": content.synced_at.isoformat(),
            "new_total": content.total,
            "new_failing": content.failing,
            "new_pending": content.pending,
            "by_error_code": [
                {"error_code": row.label, "failing": row.failing, "pending": row.pending}
                for row in content.by_error_code
            ],
            "by_token_type": [
                {"token_type": row.label, "failing": row.failing, "pending": row.pending}
                for row in content.by_token_type
            ],
            "report_url": content.report_url,
        },
    }
