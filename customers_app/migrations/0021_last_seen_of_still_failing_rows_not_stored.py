"""A still-failing report row keeps no last seen of its own: the latest complete sync saw
it (``models.FailedBinding``), so a sync no longer rewrites every such row to say so."""

import django.db.models.deletion
from django.db import migrations, models


def still_failing_forget_last_seen(apps, schema_editor) -> None:
    FailedBinding = apps.get_model("customers_app", "FailedBinding")
    FailedBinding.objects.filter(resolved_at__isnull=True).update(last_seen_at=None, last_scan=None)


def still_failing_write_last_seen(apps, schema_editor) -> None:
    """Back: the latest complete sync's time and id, as every sync used to write them."""
    FailedBinding = apps.get_model("customers_app", "FailedBinding")
    ScanRun = apps.get_model("customers_app", "ScanRun")
    unseen = FailedBinding.objects.filter(last_seen_at__isnull=True)
    latest = ScanRun.objects.filter(status="completed").order_by("-finished_at").first()
    if latest is not None:
        unseen.update(last_seen_at=latest.finished_at, last_scan=latest)
    # Without a complete sync to name, the column still needs a value: when it was found.
    unseen.update(last_seen_at=models.F("first_seen_at"), last_scan=models.F("new_in_scan"))


class Migration(migrations.Migration):
    dependencies = [
        ("customers_app", "0020_sync_failure_facts"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="failedbinding",
            options={
                "default_permissions": (),
                "ordering": [
                    models.OrderBy(models.F("last_seen_at"), descending=True, nulls_first=True),
                    "pk",
                ],
            },
        ),
        migrations.AlterField(
            model_name="failedbinding",
            name="last_scan",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="customers_app.scanrun",
            ),
        ),
        migrations.AlterField(
            model_name="failedbinding",
            name="last_seen_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(still_failing_forget_last_seen, still_failing_write_last_seen),
    ]
