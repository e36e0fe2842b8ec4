from django.db import migrations


def set_aside(apps, schema_editor):
    # Uses today's models on purpose, like 0004: the repair needs the rebuild of derived figures.
    from coalition.measurement import repair

    repair.set_aside_out_of_limit_figures()


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0007_reporting_deadlines"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(set_aside, migrations.RunPython.noop)]
