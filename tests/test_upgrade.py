"""A database built before notifications and inspections had their own apps migrates forward
without losing a row: the same tables, now owned by the new apps."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reviews", "0005_notification_pdf_ready"), ("regulations", "0007_version_pdf")]


def migrate(targets=None):
    """Migrate to the targets (the latest of everything when none), and give the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    nodes = targets or executor.loader.graph.leaf_nodes()
    undo = [("notifications", None), ("inspections", None)] if targets else []
    executor.migrate(nodes + undo)
    return executor.loader.project_state(nodes).apps


@pytest.mark.django_db(transaction=True)
def test_notifications_and_inspections_keep_their_rows_when_they_move_apps():
    old = migrate(BEFORE)
    try:
        User = old.get_model("organizations", "User")
        Organization = old.get_model("organizations", "Organization")
        user = User.objects.create(username="vanphong", email="vp@example.vn")
        city = Organization.objects.create(
            path="0001", depth=1, name="Thành ủy", name_folded="thanh uy", kind="provincial", code="TU", symbol="TU"
        )
        ward = Organization.objects.create(
            path="00010001", depth=2, name="Đảng ủy phường", name_folded="dang uy phuong",
            kind="grassroots_committee", code="P1", symbol="ĐU", parent=city,
        )  # fmt: skip
        old.get_model("reviews", "ReminderSettings").objects.create(organization=city, stalled_stage_days=9)
        old.get_model("reviews", "Notification").objects.create(
            recipient=user, reason="review_due", subject="regulation:1", period="2026-05-01", title="Sắp đến hạn",
            body="Rà soát", url="/quy-che/1/",
        )  # fmt: skip
        inspection = old.get_model("reviews", "Inspection").objects.create(
            inspecting=city, inspected=ward, kind="inspection", date=datetime.date(2026, 1, 5), team="Đoàn",
            scope="QCLV", created_by=user,
        )  # fmt: skip
        finding = old.get_model("reviews", "Finding").objects.create(
            inspection=inspection, kind="fault", description="Thiếu điều về UBKT", remediation="Bổ sung",
            deadline=datetime.date(2026, 2, 1), created_by=user,
        )  # fmt: skip
        old.get_model("reviews", "FindingEvent").objects.create(
            finding=finding, actor=user, action="record", to_status="open", deadline=finding.deadline
        )
    finally:
        new = migrate()
    assert new.get_model("notifications", "ReminderSettings").objects.get().stalled_stage_days == 9
    notice = new.get_model("notifications", "Notification").objects.get()
    assert (notice.recipient.username, notice.title, notice.period) == ("vanphong", "Sắp đến hạn", "2026-05-01")
    moved = new.get_model("inspections", "Finding").objects.select_related("inspection__inspected").get()
    assert moved.inspection.inspected.name == "Đảng ủy phường"
    assert list(moved.events.values_list("action", flat=True)) == ["record"]
