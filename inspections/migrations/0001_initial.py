"""The inspections models, moved out of reviews with their data."""

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
        ("regulations", "0007_version_pdf"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables were made by reviews' migrations and keep their names (Meta.db_table): only
        # Django's idea of which app owns the models changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Inspection",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("inspection", "Kiểm tra"), ("supervision", "Giám sát")],
                                max_length=16,
                                verbose_name="hình thức",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="ngày kiểm tra, giám sát")),
                        (
                            "team",
                            models.TextField(
                                help_text="Họ tên, chức vụ các thành viên đoàn.", verbose_name="thành phần đoàn"
                            ),
                        ),
                        ("scope", models.TextField(verbose_name="nội dung, phạm vi")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "inspected",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="inspections_received",
                                to="organizations.organization",
                                verbose_name="tổ chức được kiểm tra",
                            ),
                        ),
                        (
                            "inspecting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="inspections_made",
                                to="organizations.organization",
                                verbose_name="tổ chức kiểm tra",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "cuộc kiểm tra, giám sát",
                        "verbose_name_plural": "kiểm tra, giám sát",
                        "db_table": "reviews_inspection",
                        "ordering": ["-date", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Finding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("limitation", "Hạn chế"), ("fault", "Khuyết điểm")],
                                max_length=16,
                                verbose_name="loại",
                            ),
                        ),
                        ("description", models.TextField(verbose_name="nội dung")),
                        ("remediation", models.TextField(verbose_name="yêu cầu khắc phục")),
                        ("deadline", models.DateField(verbose_name="hạn khắc phục")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Chưa khắc phục"),
                                    ("reported", "Đã báo cáo khắc phục"),
                                    ("closed", "Đã khắc phục"),
                                    ("reopened", "Chưa đạt, yêu cầu khắc phục lại"),
                                ],
                                default="open",
                                max_length=16,
                                verbose_name="trạng thái",
                            ),
                        ),
                        ("article_key", models.UUIDField(blank=True, null=True, verbose_name="điều (định danh)")),
                        ("article_label", models.CharField(blank=True, max_length=16, verbose_name="điều")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "regulation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="findings",
                                to="regulations.regulation",
                                verbose_name="quy chế",
                            ),
                        ),
                        (
                            "inspection",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="findings",
                                to="inspections.inspection",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "hạn chế, khuyết điểm",
                        "verbose_name_plural": "hạn chế, khuyết điểm",
                        "db_table": "reviews_finding",
                        "ordering": ["inspection", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="FindingEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("record", "Ghi nhận"),
                                    ("report", "Báo cáo khắc phục"),
                                    ("accept", "Hậu kiểm: đã khắc phục"),
                                    ("reopen", "Hậu kiểm: chưa đạt, yêu cầu khắc phục lại"),
                                ],
                                max_length=16,
                                verbose_name="hành động",
                            ),
                        ),
                        (
                            "from_status",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("open", "Chưa khắc phục"),
                                    ("reported", "Đã báo cáo khắc phục"),
                                    ("closed", "Đã khắc phục"),
                                    ("reopened", "Chưa đạt, yêu cầu khắc phục lại"),
                                ],
                                max_length=16,
                            ),
                        ),
                        (
                            "to_status",
                            models.CharField(
                                choices=[
                                    ("open", "Chưa khắc phục"),
                                    ("reported", "Đã báo cáo khắc phục"),
                                    ("closed", "Đã khắc phục"),
                                    ("reopened", "Chưa đạt, yêu cầu khắc phục lại"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("comment", models.TextField(blank=True, verbose_name="báo cáo, ý kiến")),
                        ("deadline", models.DateField(verbose_name="hạn khắc phục")),
                        ("at", models.DateTimeField(auto_now_add=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "finding",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="inspections.finding",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "diễn biến khắc phục",
                        "verbose_name_plural": "diễn biến khắc phục",
                        "db_table": "reviews_findingevent",
                        "ordering": ["finding", "at", "pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("action__in", ["record", "report", "accept", "reopen"])),
                                name="finding_event_action_valid",
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="inspection",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("kind__in", ["inspection", "supervision"])), name="inspection_kind_valid"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="inspection",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("inspected", models.F("inspecting")), _negated=True),
                        name="inspection_not_of_itself",
                    ),
                ),
                migrations.AddIndex(
                    model_name="finding",
                    index=models.Index(fields=["status", "deadline"], name="finding_status_deadline"),
                ),
                migrations.AddConstraint(
                    model_name="finding",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("kind__in", ["limitation", "fault"])), name="finding_kind_valid"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="finding",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("status__in", ["open", "reported", "closed", "reopened"])),
                        name="finding_status_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="finding",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("article_key__isnull", True), ("regulation__isnull", False), _connector="OR"
                        ),
                        name="finding_article_in_regulation",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_types_mover(
                old_app="reviews", new_app="inspections", models=["inspection", "finding", "findingevent"]
            ),
            migrations.RunPython.noop,
        ),
    ]
