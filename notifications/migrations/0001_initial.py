"""The notifications models, moved out of reviews with their data."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from quyche.migrations import content_types_mover


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0005_notification_pdf_ready"),
        ("organizations", "0002_user_email_mode"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables were made by reviews' migrations and keep their names (Meta.db_table): only
        # Django's idea of which app owns the models changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("review_due", "Sắp đến hạn rà soát quy chế"),
                                    ("review_overdue", "Quá hạn rà soát quy chế"),
                                    ("review_escalated", "Tổ chức trực thuộc quá hạn rà soát quy chế"),
                                    ("term_rules_due", "Sắp hết hạn ban hành quy chế làm việc nhiệm kỳ mới"),
                                    ("term_rules_overdue", "Chưa ban hành quy chế làm việc nhiệm kỳ mới"),
                                    ("consultation_due", "Sắp hết hạn góp ý dự thảo"),
                                    ("consultation_tomorrow", "Ngày mai hết hạn góp ý dự thảo"),
                                    ("consultation_expired", "Hết hạn lấy ý kiến, còn nơi chưa trả lời"),
                                    ("stage_stalled", "Hồ sơ sửa đổi chờ xử lý lâu"),
                                    ("basis_replaced", "Văn bản làm căn cứ đã được thay thế hoặc bãi bỏ"),
                                    ("pdf_ready", "Tệp PDF đã sẵn sàng"),
                                    ("finding_overdue", "Quá hạn khắc phục sau kiểm tra"),
                                ],
                                max_length=32,
                                verbose_name="lý do",
                            ),
                        ),
                        ("subject", models.CharField(max_length=64)),
                        ("period", models.CharField(max_length=64)),
                        ("title", models.CharField(max_length=300, verbose_name="tiêu đề")),
                        ("body", models.TextField(verbose_name="nội dung")),
                        ("url", models.CharField(max_length=300, verbose_name="liên kết")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "email_status",
                            models.CharField(
                                choices=[
                                    ("pending", "Chờ gửi"),
                                    ("digest", "Chờ thư tổng hợp"),
                                    ("sent", "Đã gửi"),
                                    ("failed", "Gửi lỗi"),
                                    ("skipped", "Không gửi"),
                                ],
                                default="pending",
                                max_length=16,
                            ),
                        ),
                        ("email_attempts", models.PositiveSmallIntegerField(default=0)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        ("email_error", models.TextField(blank=True)),
                        ("scan", models.UUIDField(blank=True, editable=False, null=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "thông báo",
                        "verbose_name_plural": "thông báo",
                        "db_table": "reviews_notification",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["recipient", "read_at"], name="reviews_not_recipie_a68ac9_idx"),
                            models.Index(fields=["email_status"], name="reviews_not_email_s_ba6238_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("recipient", "reason", "subject", "period"),
                                name="one_reminder_per_person_subject_period",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ReminderSettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "review_notice_days",
                            models.PositiveSmallIntegerField(default=14, verbose_name="nhắc trước hạn rà soát (ngày)"),
                        ),
                        (
                            "review_escalation_days",
                            models.PositiveSmallIntegerField(
                                default=30, verbose_name="báo cấp trên khi quá hạn rà soát (ngày)"
                            ),
                        ),
                        (
                            "term_rules_days",
                            models.PositiveSmallIntegerField(
                                default=90,
                                verbose_name="thời hạn ban hành quy chế làm việc sau khi bắt đầu nhiệm kỳ (ngày)",
                            ),
                        ),
                        (
                            "consultation_notice_days",
                            models.PositiveSmallIntegerField(
                                default=3, verbose_name="nhắc trước hạn trả lời ý kiến (ngày)"
                            ),
                        ),
                        (
                            "stalled_stage_days",
                            models.PositiveSmallIntegerField(
                                default=14, verbose_name="nhắc khi hồ sơ dừng ở một bước quá (ngày)"
                            ),
                        ),
                        (
                            "organization",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminder_settings",
                                to="organizations.organization",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ngưỡng nhắc việc",
                        "verbose_name_plural": "ngưỡng nhắc việc",
                        "db_table": "reviews_remindersettings",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("term_rules_days__gte", 1)), name="term_rules_days_positive"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("stalled_stage_days__gte", 1)), name="stalled_stage_days_positive"
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_types_mover(
                old_app="reviews", new_app="notifications", models=["notification", "remindersettings"]
            ),
            migrations.RunPython.noop,
        ),
    ]
