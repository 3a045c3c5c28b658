"""Meeting rules as data: the quorum of the BTV's and the BCH's meetings, and the chi bộ's deciding
meeting of all its party members (reviews/stages.py), given to the stages already installed."""

from django.db import migrations, models

from reviews.stages import install_meeting_rules


def give_rules(apps, schema_editor):
    install_meeting_rules(apps.get_model("reviews", "Stage"))


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0007_event_status'),
    ]

    operations = [
        migrations.AddField(
            model_name='stage',
            name='general_meeting',
            field=models.BooleanField(default=False, help_text='Người ghi nhập tổng số đảng viên (hệ thống không quản lý danh sách đảng viên); ở các bước khác, tổng số thành viên được tính theo chức vụ của cơ quan thực hiện vào ngày họp.', verbose_name='hội nghị toàn thể đảng viên'),
        ),
        migrations.AddField(
            model_name='stage',
            name='quorum',
            field=models.CharField(blank=True, choices=[('', 'Không quy định'), ('2/3', 'hai phần ba')], default='', help_text='Phần tổng số thành viên đương nhiệm phải có mặt thì hội nghị mới được biểu quyết.', max_length=8, verbose_name='số có mặt tối thiểu'),
        ),
        migrations.AddConstraint(
            model_name='stage',
            constraint=models.CheckConstraint(condition=models.Q(('quorum__in', ['', '2/3'])), name='stage_quorum_valid'),
        ),
        migrations.RunPython(give_rules, migrations.RunPython.noop),
    ]
