"""Time entries learn when they end (planned until then) and which calendar wrote them."""

from datetime import timedelta

from django.db import migrations, models


def fill_ended_at(apps, schema_editor):
    entry = apps.get_model("timelog", "TimeEntry")
    for row in entry.objects.only("id", "started_at", "minutes").iterator(chunk_size=2000):
        entry.objects.filter(pk=row.pk).update(
            ended_at=row.started_at + timedelta(minutes=row.minutes)
        )


class Migration(migrations.Migration):

    dependencies = [
        ("timelog", "0002_timeentry_import_batch"),
    ]

    operations = [
        migrations.AddField(
            model_name="timeentry",
            name="ended_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill_ended_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="timeentry",
            name="ended_at",
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name="timeentry",
            name="calendar",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(
                fields=["manager", "source", "calendar", "started_at"],
                name="timelog_tim_manager_cal_idx",
            ),
        ),
    ]
