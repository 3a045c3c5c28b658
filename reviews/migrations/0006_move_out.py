"""Notifications, reminder thresholds and inspections move to their own apps; their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0005_notification_pdf_ready'),
        ('notifications', '0001_initial'),
        ('inspections', '0001_initial'),
    ]

    operations = [
        # Notifications and inspections now belong to their own apps, over the same tables.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='findingevent',
                    name='finding',
                ),
                migrations.RemoveField(
                    model_name='findingevent',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='inspection',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='inspection',
                    name='inspected',
                ),
                migrations.RemoveField(
                    model_name='inspection',
                    name='inspecting',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='remindersettings',
                    name='organization',
                ),
                migrations.DeleteModel(
                    name='Finding',
                ),
                migrations.DeleteModel(
                    name='FindingEvent',
                ),
                migrations.DeleteModel(
                    name='Inspection',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='ReminderSettings',
                ),
    
            ],
            database_operations=[],
        ),
    ]
