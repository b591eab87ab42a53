"""Error code notes saved before codes were normalised: ``" e200110 "`` becomes ``E200110``.

A note whose normalised code another note already has is left as it was (both were typed
by an admin; which one is right is theirs to decide in the admin): the report matches the
normalised one only.
"""

from django.db import migrations


def normalise_codes(apps, schema_editor):
    note_model = apps.get_model("customers_app", "ErrorCodeNote")
    taken = set(note_model.objects.values_list("code", flat=True))
    for note in note_model.objects.order_by("pk"):
        # The same rule as customers_app.models.error_code_normalise, frozen here.
        code = note.code.strip().upper()
        if code == note.code or code in taken:
            continue
        taken.discard(note.code)
        taken.add(code)
        note.code = code
        note.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("customers_app", "0007_failed_binding_phone_digits")]

    operations = [migrations.RunPython(normalise_codes, migrations.RunPython.noop)]
