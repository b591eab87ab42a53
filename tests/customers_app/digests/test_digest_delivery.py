"""Digests end to end: a real sync, a real ``db_worker`` process, a real SMTP server and a
real webhook receiver. The tests write through committed transactions (``transactional_db``)
so the worker process sees their rows."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.languages import user_language_save
from accounts.models import AuditEvent
from customers_app.models import (
    DeliveryStatus,
    DigestDelivery,
    DigestSubscription,
    FailedBinding,
    FollowUpStatus,
    ScanRun,
    SyncTrendPoint,
)
from customers_app.sync.runs import sync_run
from tests.english_left import english_left
from tests.workers import wait_for

from .conftest import (
    DASHBOARD_BASE_URL,
    WEBHOOK_SECRET,
    report_user,
    run_worker_batch,
    webhook_json,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

HOSTILE_NAME = "<script>alert(1)</script>"
# The sandbox's customer 11 fails with an error message holding HTML and a script.
HOSTILE_MESSAGE_REFERENCE = "STORE-00000011"


def _second_sync_with_new_failures(how_many: int = 8):
    """A second sync that finds ``how_many`` bindings new: they are removed from the report
    first, so the sync sees them failing "again". Also, as finance would have it, every
    older row is followed up except two, one of which carries a hostile name as if Wonder
    had sent it. Returns the sync and the new rows' (code, pending, token type) tuples."""
    rows = list(
        FailedBinding.objects.exclude(reference_number=HOSTILE_MESSAGE_REFERENCE).order_by("uuid")
    )
    leaving, staying = rows[:how_many], rows[how_many:]
    new = [(row.error_code, row.state.lower() == "pending", row.token_type) for row in leaving]
    FailedBinding.objects.filter(pk__in=[row.pk for row in leaving]).delete()
    FailedBinding.objects.update(followup_status=FollowUpStatus.CONTACTED)
    still_open = [HOSTILE_MESSAGE_REFERENCE, staying[0].reference_number]
    FailedBinding.objects.filter(reference_number__in=still_open).update(
        followup_status=FollowUpStatus.OPEN
    )
    # Same fingerprint: the next sync does not rewrite the row, the stored name stays.
    FailedBinding.objects.filter(pk=staying[0].pk).update(name=HOSTILE_NAME)
    run = sync_run()
    assert run.status == "completed", run.error
    return run, new


def _parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text.replace("\r\n", "\n"), html.replace("\r\n", "\n")


def test_a_sync_with_new_failures_mails_each_subscriber_once_and_posts_the_signed_webhook(
    scanned, smtp_server, webhook_receiver, finance
):
    # The scanned fixture's sync was the first ever: nothing in it is "new", no digest.
    run_worker_batch(EMAIL_URL=smtp_server.url)
    assert smtp_server.inbox.messages == []
    report_user("mei", email_address="mei@example.com", frequency="every_sync")
    report_user("lam", email_address="lam@example.com", frequency="every_sync")
    report_user("off", email_address="off@example.com", frequency="off")
    report_user("never-chose", email_address="never@example.com")
    report_user("daily", email_address="daily@example.com", frequency="daily")
    support = get_user_model().objects.create_user("support", email="support@example.com")
    support.user_permissions.add(Permission.objects.get(codename="view_customers"))
    DigestSubscription.objects.create(user=support, frequency="every_sync")

    run, new = _second_sync_with_new_failures()
    run_worker_batch(
        EMAIL_URL=smtp_server.url,
        DIGEST_WEBHOOK_URL=webhook_receiver.url,
        DIGEST_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )

    # One mail each to the two "every sync" subscribers; nobody else.
    recipients = sorted(rcpt for rcpts, _message in smtp_server.inbox.messages for rcpt in rcpts)
    assert recipients == ["lam@example.com", "mei@example.com"]
    message = smtp_server.inbox.messages[0][1]
    text, html = _parts(message)
    assert f"{len(new)} new failed or pending card bindings" in message["Subject"]
    assert f"{len(new)} new failed or pending card bindings in sync {run.pk}" in text
    by_code = Counter((code or "(no code)", pending) for code, pending, _type in new)
    for code in {code for code, _pending in by_code}:
        failing, pending = by_code[(code, False)], by_code[(code, True)]
        assert f"  {code}: {failing} / {pending}\n" in text
    by_type = Counter((token_type, pending) for _code, pending, token_type in new)
    for token_type in {token_type for token_type, _pending in by_type}:
        failing, pending = by_type[(token_type, False)], by_type[(token_type, True)]
        assert f"  {token_type}: {failing} / {pending}\n" in text
    link = f"{DASHBOARD_BASE_URL}/customers/failed-bindings/?new_in={run.pk}"
    assert link in text
    assert f'href="{link}"' in html

    # Upstream text is escaped in the HTML: the hostile name and Wonder's HTML error message.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE_MESSAGE_REFERENCE in html
    assert "&lt;b&gt;Do not honour&lt;/b&gt;" in html
    assert "<script" not in html and "<b>Do not" not in html
    # No card number beyond first 6 / last 4 anywhere in the mail.
    assert not re.search(r"\d{13,}", text + html)
    assert "token" not in (text + html).lower().replace("token type", "")

    # The link shows exactly the digest's rows.
    response = finance.get(urlsplit(link).path, {"new_in": str(run.pk)})
    assert response.status_code == 200
    assert response.context["table"].paginator.count == len(new)

    # Recorded and audited: to whom, when, how many rows.
    sent = DigestDelivery.objects.filter(channel="email")
    assert sorted(sent.values_list("recipient", "status", "row_count", "attempts")) == [
        ("lam@example.com", DeliveryStatus.SENT, len(new), 1),
        ("mei@example.com", DeliveryStatus.SENT, len(new), 1),
    ]
    audited = AuditEvent.objects.filter(action="digest.email", outcome="success")
    assert sorted(audited.values_list("target", flat=True)) == ["user:lam", "user:mei"]
    assert {event.detail["rows"] for event in audited} == {len(new)}

    # The webhook: one signed post a receiver can verify, with a text Slack and Teams show.
    assert len(webhook_receiver.posts) == 1
    post = webhook_receiver.posts[0]
    timestamp = post.headers["X-Dashboard-Timestamp"]
    expected = hmac.new(
        WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + post.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(post.headers["X-Dashboard-Signature"], f"sha256={expected}")
    payload = webhook_json(post)
    assert f"{len(new)} new failed or pending card bindings" in payload["text"]
    assert link in payload["text"]
    assert payload["digest"]["new_total"] == len(new)
    assert HOSTILE_NAME not in post.body.decode()  # no names go to a chat channel
    webhook = DigestDelivery.objects.get(channel="webhook")
    assert webhook.recipient == urlsplit(webhook_receiver.url).netloc  # never the secret path

    # A sync that finds nothing new sends nothing.
    quiet = sync_run()
    assert quiet.status == "completed"
    run_worker_batch(
        EMAIL_URL=smtp_server.url,
        DIGEST_WEBHOOK_URL=webhook_receiver.url,
        DIGEST_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    assert len(smtp_server.inbox.messages) == 2
    assert len(webhook_receiver.posts) == 1
    assert not DigestDelivery.objects.filter(last_run=quiet).exists()


def test_each_recipient_gets_the_digest_in_the_language_they_chose(scanned, smtp_server):
    """The language a user chose with the header's switch (stored for them) writes their
    digest, text and HTML; a user who never chose gets the dashboard's language."""
    chan = report_user("chan", email_address="chan@example.com", frequency="every_sync")
    user_language_save(user=chan, language_code="zh-hant")
    report_user("mei", email_address="mei@example.com", frequency="every_sync")
    run, new = _second_sync_with_new_failures(how_many=5)
    run_worker_batch(EMAIL_URL=smtp_server.url)

    mails = {rcpts[0]: message for rcpts, message in smtp_server.inbox.messages}
    assert sorted(mails) == ["chan@example.com", "mei@example.com"]
    chinese = mails["chan@example.com"]
    text, html = _parts(chinese)
    # (A subject in UTF-8 is folded onto its own header line; a mail reader trims the space.)
    assert chinese["Subject"].strip() == f"Wonder 儀表板：{len(new)} 個新的失敗或待處理付款卡綁定"
    assert f"同步 {run.pk}（" in text and f"有 {len(new)} 個新的失敗或待處理付款卡綁定。" in text
    assert "按錯誤代碼（失敗 / 待處理）" in text and "在報告中查看這些綁定：" in text
    assert "new failed or pending" not in text and "See exactly" not in text
    assert '<html lang="zh-hant">' in html and "按令牌類型" in html
    # Every word the dashboard wrote is Chinese; Wonder's values are marked as data.
    assert english_left(html) == []
    link = f"{DASHBOARD_BASE_URL}/customers/failed-bindings/?new_in={run.pk}"
    assert link in text and f'href="{link}"' in html

    english_text, english_html = _parts(mails["mei@example.com"])
    assert f"{len(new)} new failed or pending card bindings in sync {run.pk}" in english_text
    assert '<html lang="en-gb">' in english_html and "按" not in english_text + english_html


def test_an_smtp_outage_is_retried_with_back_off_and_recorded(scanned, smtp_down, running_worker):
    report_user("mei", email_address="mei@example.com", frequency="every_sync")
    run, new = _second_sync_with_new_failures(how_many=3)
    # Nothing listens on the mail port yet: the worker's attempts fail and are retried.
    worker = running_worker(EMAIL_URL=smtp_down.url)
    delivery = wait_for(
        lambda: DigestDelivery.objects.filter(attempts__gte=2).first(),
        timeout=30,
        message="two failed attempts",
    )
    assert delivery.status == DeliveryStatus.PENDING
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
    assert delivery.next_attempt_at > delivery.last_attempt_at
    smtp_down.start()
    sent = wait_for(
        lambda: DigestDelivery.objects.filter(status=DeliveryStatus.SENT).first(),
        timeout=30,
        message="the mail sent once the server is back",
    )
    assert sent.attempts >= 3
    assert sent.last_error  # the outage stays on record
    assert [rcpts for rcpts, _message in smtp_down.inbox.messages] == [["mei@example.com"]]
    assert worker.process.poll() is None, worker.log()  # it kept going through the outage
    assert ScanRun.objects.get(pk=run.pk).status == "completed"


def test_a_delivery_that_keeps_failing_is_given_up_recorded_and_audited(scanned, smtp_down):
    report_user("mei", email_address="mei@example.com", frequency="every_sync")
    _second_sync_with_new_failures(how_many=2)
    for _attempt in range(3):
        run_worker_batch(EMAIL_URL=smtp_down.url, DIGEST_MAX_ATTEMPTS="2")
        delivery = DigestDelivery.objects.get()
        if delivery.status == DeliveryStatus.FAILED:
            break
        # The retry waits out its back-off (0.3 s) before a batch worker sees it as due.
        time.sleep(0.4)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 2
    assert delivery.last_error
    failure = AuditEvent.objects.get(action="digest.email")
    assert failure.outcome == "failure"
    assert failure.target == "user:mei"


def test_the_daily_digest_goes_once_a_day_at_the_chosen_hour_and_reschedules_itself(
    scanned, smtp_server
):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from customers_app.digests.tasks import digest_daily_check

    report_user("early", email_address="early@example.com", frequency="daily")  # 09:00
    DigestSubscription.objects.filter(user__username="early").update(daily_hour=0)
    report_user("late", email_address="late@example.com", frequency="daily")
    DigestSubscription.objects.filter(user__username="late").update(daily_hour=23)
    run, new = _second_sync_with_new_failures(how_many=4)
    run_worker_batch(EMAIL_URL=smtp_server.url)
    assert smtp_server.inbox.messages == []  # daily subscribers get nothing per sync

    # The hourly check, due now (the chain enqueues it for the top of the next hour).
    digest_daily_check.enqueue()
    run_worker_batch(EMAIL_URL=smtp_server.url)
    recipients = [rcpts for rcpts, _message in smtp_server.inbox.messages]
    local_hour = timezone.localtime().hour
    expected = [["early@example.com"]] + ([["late@example.com"]] if local_hour >= 23 else [])
    assert sorted(recipients) == expected
    text, _html = _parts(smtp_server.inbox.messages[0][1])
    assert f"{len(new)} new failed or pending card bindings in sync {run.pk}" in text
    assert f"?new_in={run.pk}" in text  # the first sync is never "new", so only this one

    # A second check the same day sends nothing more; the next check waits for next hour.
    digest_daily_check.enqueue()
    run_worker_batch(EMAIL_URL=smtp_server.url)
    assert len(smtp_server.inbox.messages) == len(expected)
    waiting = DBTaskResult.objects.filter(
        task_path=digest_daily_check.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1
    next_check = waiting.get().run_after
    assert timezone.now() < next_check <= timezone.now() + timedelta(hours=1, seconds=6)


def test_a_sync_completes_even_when_its_digest_cannot_be_enqueued(scanned, monkeypatch):
    from customers_app.digests import receivers

    class UnavailableQueue:
        def enqueue(self, **kwargs):
            raise RuntimeError("task queue unavailable")

    monkeypatch.setattr(receivers, "digest_after_sync", UnavailableQueue())
    report_user("mei", email_address="mei@example.com", frequency="every_sync")
    run, _new = _second_sync_with_new_failures(how_many=2)
    assert ScanRun.objects.get(pk=run.pk).status == "completed"
    assert FailedBinding.objects.filter(new_in_scan=run).count() == 2
    assert SyncTrendPoint.objects.filter(run=run).exists()  # the trend still has it


def test_a_webhook_answering_503_is_retried_and_one_answering_404_is_given_up(
    scanned, webhook_receiver, running_worker
):
    webhook_receiver.answers = [503, 503]
    _second_sync_with_new_failures(how_many=2)
    running_worker(DIGEST_WEBHOOK_URL=webhook_receiver.url, DIGEST_WEBHOOK_SECRET=WEBHOOK_SECRET)
    delivery = wait_for(
        lambda: DigestDelivery.objects.filter(status=DeliveryStatus.SENT).first(),
        timeout=30,
        message="the webhook delivered after two 503s",
    )
    assert delivery.attempts == 3
    assert "503" in delivery.last_error
    assert len(webhook_receiver.posts) == 3
    # Every attempt is signed afresh (its own timestamp): each one verifies.
    for post in webhook_receiver.posts:
        timestamp = post.headers["X-Dashboard-Timestamp"]
        mac = hmac.new(WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + post.body, "sha256")
        assert post.headers["X-Dashboard-Signature"] == f"sha256={mac.hexdigest()}"

    webhook_receiver.answers = [404]
    _second_sync_with_new_failures(how_many=1)
    refused = wait_for(
        lambda: DigestDelivery.objects.filter(status=DeliveryStatus.FAILED).first(),
        timeout=30,
        message="the webhook delivery given up",
    )
    assert refused.attempts == 1
    # (The worker audits just after saving the outcome: wait for it, do not race it.)
    wait_for(
        lambda: AuditEvent.objects.filter(action="digest.webhook", outcome="failure").exists(),
        timeout=30,
        message="the given-up webhook audited",
    )
    assert AuditEvent.objects.filter(action="digest.webhook", outcome="failure").count() == 1
