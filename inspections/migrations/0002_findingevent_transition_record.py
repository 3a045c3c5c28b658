"""FindingEvent takes its common fields from quyche.models.TransitionRecord: labels and ordering
change, the table does not."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='findingevent',
            options={'ordering': ['at', 'pk'], 'verbose_name': 'diễn biến khắc phục', 'verbose_name_plural': 'diễn biến khắc phục'},
        ),
        migrations.AlterField(
            model_name='findingevent',
            name='actor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AlterField(
            model_name='findingevent',
            name='at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='thời gian'),
        ),
        migrations.AlterField(
            model_name='findingevent',
            name='from_status',
            field=models.CharField(blank=True, choices=[('open', 'Chưa khắc phục'), ('reported', 'Đã báo cáo khắc phục'), ('closed', 'Đã khắc phục'), ('reopened', 'Chưa đạt, yêu cầu khắc phục lại')], max_length=16, verbose_name='từ trạng thái'),
        ),
        migrations.AlterField(
            model_name='findingevent',
            name='to_status',
            field=models.CharField(choices=[('open', 'Chưa khắc phục'), ('reported', 'Đã báo cáo khắc phục'), ('closed', 'Đã khắc phục'), ('reopened', 'Chưa đạt, yêu cầu khắc phục lại')], max_length=16, verbose_name='sang trạng thái'),
        ),
    ]
