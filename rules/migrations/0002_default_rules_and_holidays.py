"""Install the rules in force (Decision 2200-QĐ/TU) and the public holidays 2025–2027."""

from django.db import migrations


def forwards(apps, schema_editor):
    from rules.defaults import install_default_rules
    from rules.holidays_vn import install_holidays

    install_default_rules(apps.get_model("rules", "Rule"))
    install_holidays(apps.get_model("rules", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
