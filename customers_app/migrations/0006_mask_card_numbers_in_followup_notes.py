"""Mask card numbers already stored in follow-up notes, as saving a note now does.

Notes saved before that rule kept whatever finance typed, full card numbers included, and
both the note on the report row and every note in its history are shown and exported.
Reversing it changes nothing: the masked digits are gone.
"""

import re

from django.db import migrations

_BATCH = 500
# The rule this migration ran with until the live rule widened (0010 masks what it newly
# covers), frozen here rather than imported from the live code: a migration must do the
# same thing whenever it runs, and must not break when the live code is renamed.
_CARD_NUMBER = re.compile(r"(?<![\w\-])(?:\d[\s\-\u2010-\u2015\u2212./_]{0,3}){12,18}\d(?![\w\-])")
_MASK_CHARACTERS = frozenset("*xX•#")


def _first_six_last_four(run: str) -> str:
    characters = [c for c in run if c.isdigit() or c in _MASK_CHARACTERS]
    length = len(characters)
    keep_first = 6 if length >= 12 else 0
    return "".join(
        c if c.isdigit() and (i < keep_first or i >= length - 4) else "*"
        for i, c in enumerate(characters)
    )


def followup_note_mask(*, note: str) -> tuple[str, int]:
    return _CARD_NUMBER.subn(lambda match: _first_six_last_four(match[0]), note)


def _mask_notes(model, note_field: str) -> None:
    changed = []
    # Only notes with a digit can hold a card number; the rest are never loaded.
    notes = model.objects.filter(**{f"{note_field}__regex": r"[0-9]"}).only("pk", note_field)
    for row in notes.iterator(chunk_size=_BATCH):
        masked, count = followup_note_mask(note=getattr(row, note_field))
        if count:
            setattr(row, note_field, masked)
            changed.append(row)
    model.objects.bulk_update(changed, [note_field], batch_size=_BATCH)


def mask_stored_notes(apps, schema_editor) -> None:
    _mask_notes(apps.get_model("customers_app", "FailedBinding"), "followup_note")
    _mask_notes(apps.get_model("customers_app", "FollowUpChange"), "note")


class Migration(migrations.Migration):
    dependencies = [("customers_app", "0005_failed_binding_report_indexes")]

    operations = [migrations.RunPython(mask_stored_notes, migrations.RunPython.noop)]
