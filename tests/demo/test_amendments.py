from django.core.management import call_command

from reviews.models import Amendment, AmendmentStatus, Comment, StageKind


def test_it_seeds_amendments_standing_at_each_kind_of_stage(db, capsys):
    call_command("seed_demo")
    assert "Đã tạo 5 hồ sơ sửa đổi, bổ sung mẫu." in capsys.readouterr().out
    amendments = Amendment.objects.select_related("stage", "draft")
    assert {a.status for a in amendments} == {AmendmentStatus.IN_PROGRESS, AmendmentStatus.ISSUED}
    open_stages = {a.stage.kind for a in amendments if a.status == AmendmentStatus.IN_PROGRESS}
    assert open_stages == {StageKind.DRAFTING, StageKind.CONSULTATION, StageKind.SYNTHESIS, StageKind.REVIEW}
    issued = amendments.get(status=AmendmentStatus.ISSUED)
    assert issued.draft.number == "08-QC/ĐUK" and issued.draft.status == "in_force"
    assert Comment.objects.filter(amendment=issued, disposition__isnull=False).count() == 2
    consulting = amendments.get(stage__kind=StageKind.CONSULTATION)
    suggestions = Comment.objects.filter(amendment=consulting).exclude(suggestion="").select_related("request")
    assert sorted((s.suggestion, s.provision_label, s.request.organization_id is None) for s in suggestions) == [
        ("insert_after", "điểm c khoản 6", False),  # for a đảng bộ cơ sở
        ("replace", "khoản 4", True),  # in person
    ]
    synthesis = amendments.get(stage__kind=StageKind.SYNTHESIS)
    assert Comment.objects.filter(amendment=synthesis, disposition__isnull=True).exists()
