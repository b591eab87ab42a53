"""Mask card numbers that the earlier rule (0006) let through in stored follow-up notes and
export records: "card4111111111111111", "4111111111111111x", "cc_4111...", "4111,1111,...",
"(4111)1111(1111)1111", digit groups split by zero-width spaces.

The rule is frozen here as it was when this migration was written, rather than imported
from the live code: a migration must do the same thing on every database whenever it runs,
whatever the rule becomes later. Reversing it changes nothing: the masked digits are gone.
"""

import re

from django.db import migrations

_BATCH = 500
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_GAP = rf"(?>(?:[{_INVISIBLE}]*(?:[^\w{_INVISIBLE}]|_)){{0,3}}[{_INVISIBLE}]*)"
_DIGIT_RUN = re.compile(rf"\d(?:{_GAP}\d)*")
_MIN_DIGITS = 13
_UUID = re.compile(
    r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
    r"[0-9A-Fa-f]{12}(?![0-9A-Fa-f])"
)
_MASK_CHARACTERS = frozenset("*xX•#")
_REDACTED = "[REDACTED]"


def _first_six_last_four(run: str) -> str:
    characters = [c for c in run if c.isdigit() or c in _MASK_CHARACTERS]
    length = len(characters)
    return "".join(
        c if c.isdigit() and (i < 6 or i >= length - 4) else "*" for i, c in enumerate(characters)
    )


def _replace_card_numbers(text: str, replacement) -> str:
    def replace(match):
        run = match[0]
        if sum(c.isdigit() for c in run) < _MIN_DIGITS:
            return run
        return replacement(run)

    parts, position = [], 0
    for uuid in _UUID.finditer(text):
        parts.append(_DIGIT_RUN.sub(replace, text[position : uuid.start()]))
        parts.append(uuid[0])
        position = uuid.end()
    parts.append(_DIGIT_RUN.sub(replace, text[position:]))
    return "".join(parts)


def _redacted_json(value):
    if isinstance(value, str):
        return _replace_card_numbers(value, lambda _run: _REDACTED)
    if isinstance(value, dict):
        return {key: _redacted_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted_json(item) for item in value]
    return value


def _mask_notes(model, note_field: str) -> None:
    changed = []
    notes = model.objects.filter(**{f"{note_field}__regex": r"[0-9]"}).only("pk", note_field)
    for row in notes.iterator(chunk_size=_BATCH):
        note = getattr(row, note_field)
        masked = _replace_card_numbers(note, _first_six_last_four)
        if masked != note:
            setattr(row, note_field, masked)
            changed.append(row)
    model.objects.bulk_update(changed, [note_field], batch_size=_BATCH)


def _redact_export_filters(model) -> None:
    changed = []
    for row in model.objects.only("pk", "filters").iterator(chunk_size=_BATCH):
        redacted = _redacted_json(row.filters)
        if redacted != row.filters:
            row.filters = redacted
            changed.append(row)
    model.objects.bulk_update(changed, ["filters"], batch_size=_BATCH)


def mask_stored_card_numbers(apps, schema_editor) -> None:
    _mask_notes(apps.get_model("customers_app", "FailedBinding"), "followup_note")
    _mask_notes(apps.get_model("customers_app", "FollowUpChange"), "note")
    _redact_export_filters(apps.get_model("customers_app", "BindingExport"))


class Migration(migrations.Migration):
    dependencies = [("customers_app", "0009_indexed_customers")]

    operations = [migrations.RunPython(mask_stored_card_numbers, migrations.RunPython.noop)]
