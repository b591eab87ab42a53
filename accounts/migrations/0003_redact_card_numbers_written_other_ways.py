"""Redact card numbers that the earlier rule let through in stored audit events: a search
for "card4111111111111111", "4111,1111,1111,1111", "(4111)1111(1111)1111" or digit groups
split by zero-width spaces was kept in full in the event's detail (and a URL in its target).

The rule is frozen here as it was when this migration was written, rather than imported
from the live code (see customers_app's 0010, which masks follow-up notes the same way).
Reversing it changes nothing: the redacted digits are gone.
"""

import re

from django.db import migrations

_BATCH = 1000
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_GAP = rf"(?>(?:[{_INVISIBLE}]*(?:[^\w{_INVISIBLE}]|_)){{0,3}}[{_INVISIBLE}]*)"
_DIGIT_RUN = re.compile(rf"\d(?:{_GAP}\d)*")
_MIN_DIGITS = 13
_UUID = re.compile(
    r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
    r"[0-9A-Fa-f]{12}(?![0-9A-Fa-f])"
)
_REDACTED = "[REDACTED]"


def _redacted_text(text: str) -> str:
    def replace(match):
        run = match[0]
        return _REDACTED if sum(c.isdigit() for c in run) >= _MIN_DIGITS else run

    parts, position = [], 0
    for uuid in _UUID.finditer(text):
        parts.append(_DIGIT_RUN.sub(replace, text[position : uuid.start()]))
        parts.append(uuid[0])
        position = uuid.end()
    parts.append(_DIGIT_RUN.sub(replace, text[position:]))
    return "".join(parts)


def _redacted_json(value):
    if isinstance(value, str):
        return _redacted_text(value)
    if isinstance(value, dict):
        return {key: _redacted_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted_json(item) for item in value]
    return value


def redact_stored_events(apps, schema_editor) -> None:
    model = apps.get_model("accounts", "AuditEvent")
    # Written after reading, not while: SQLite does not isolate a read from writes to the same
    # table on one connection. Only changed events are held, and those are few.
    changed = []
    events = model.objects.only("pk", "username", "target", "detail")
    for event in events.iterator(chunk_size=_BATCH):
        username = _redacted_text(event.username)[:150]
        target = _redacted_text(event.target)[:255]
        detail = _redacted_json(event.detail)
        if (username, target, detail) != (event.username, event.target, event.detail):
            event.username, event.target, event.detail = username, target, detail
            changed.append(event)
    model.objects.bulk_update(changed, ["username", "target", "detail"], batch_size=_BATCH)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_outcome_not_found")]

    operations = [migrations.RunPython(redact_stored_events, migrations.RunPython.noop)]
