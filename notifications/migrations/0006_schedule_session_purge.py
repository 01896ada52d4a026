"""Add the nightly purge of expired sessions (and the petition drafts in them) to the beat schedule."""

from django.db import migrations


def install(apps, schema_editor):
    from notifications.schedule import install_schedule

    install_schedule(apps)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_schedule_report_sweeper")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
