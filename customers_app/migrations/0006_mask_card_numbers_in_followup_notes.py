"""Mask card numbers already stored in follow-up notes, as saving a note now does.

Notes saved before that rule kept whatever finance typed, full card numbers included, and
both the note on the report row and every note in its history are shown and exported.
Reversing it changes nothing: the masked digits are gone.
"""

from django.db import migrations

from customers_app.bindings.report import followup_note_mask

_BATCH = 500


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
