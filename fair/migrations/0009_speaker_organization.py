from django.db import migrations, models


class Migration(migrations.Migration):
    """One English variant in code names: Speaker.organisation becomes Speaker.organization."""

    dependencies = [
        ("fair", "0008_stand_open_sides_codes"),
    ]

    operations = [
        migrations.RenameField(
            model_name="speaker",
            old_name="organisation",
            new_name="organization",
        ),
        migrations.AlterField(
            model_name="speaker",
            name="organization",
            field=models.CharField(blank=True, max_length=200, verbose_name="organization"),
        ),
    ]
