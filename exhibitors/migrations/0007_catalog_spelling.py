# The exhibitor's catalog fields in American spelling like the rest of the code (issue 14).

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exhibitors', '0006_exhibitor_message'),
    ]

    operations = [
        migrations.RenameField(
            model_name='exhibitor',
            old_name='catalogue_text',
            new_name='catalog_text',
        ),
        migrations.RenameField(
            model_name='exhibitor',
            old_name='catalogue_text_en',
            new_name='catalog_text_en',
        ),
        migrations.RenameField(
            model_name='exhibitor',
            old_name='public_catalogue_text',
            new_name='public_catalog_text',
        ),
        migrations.AlterField(
            model_name='exhibitor',
            name='catalog_text',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(600)], verbose_name='catalog entry'),
        ),
        migrations.AlterField(
            model_name='exhibitor',
            name='catalog_text_en',
            field=models.TextField(blank=True, help_text='Shown to visitors reading in English; the entry above otherwise.', validators=[django.core.validators.MaxLengthValidator(600)], verbose_name='catalog entry (English)'),
        ),
        migrations.AlterField(
            model_name='exhibitor',
            name='public_catalog_text',
            field=models.BooleanField(default=True, verbose_name='show our catalog entry'),
        ),
    ]
