"""Add the reports sweeper (every 5 minutes) to an existing beat schedule; other tasks are left as edited."""

from django.db import migrations


def install(apps, schema_editor):
    from notifications.schedule import install_schedule

    install_schedule(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_report_ready_no_recipient"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
