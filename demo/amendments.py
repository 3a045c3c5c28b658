"""Demo amendments, so a new user sees the whole process: one issued, the others standing at
drafting, consultation, synthesis and the BTV's opinion, with comments and dispositions.

Everything goes through the services, as users' clicks would. A regulation that already has an
amendment is left alone, so a second run changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organizations.models import Organization
from regulations.editing import article_body
from regulations.models import Provision, ProvisionKind, Regulation, RegulationKind
from reviews import services
from reviews.models import Amendment

User = get_user_model()


def _user(username):
    # A fresh object each time: access rules cache a user's seats on the instance.
    return User.objects.get(username=username)


def _act(amendment, username, action="approve", **data):
    amendment = Amendment.objects.select_related("stage", "regulation__organization").get(pk=amendment.pk)
    return services.amendment_transition(
        amendment=amendment, user=_user(username), action=action, expected_stage_id=amendment.stage_id, **data
    )


def _fresh(amendment):
    return Amendment.objects.select_related("stage", "regulation__organization").get(pk=amendment.pk)


def _article(amendment, label):
    return Provision.objects.get(version=amendment.draft_id, kind=ProvisionKind.ARTICLE, label=label)


def _edit(amendment, username, label, replace, by, reason):
    """Change a phrase in one article of the draft (or add a line to it), as the working group would."""
    article = _article(amendment, label)
    body = article_body(article=article)
    body = body.replace(replace, by, 1) if replace and replace in body else f"{body}\n{by}"
    return services.draft_article_update(
        amendment=_fresh(amendment),
        user=_user(username),
        key=article.key,
        heading=article.heading,
        body=body,
        reason=reason,
        expected_revision=article.revision,
    )


def _meeting(days_ago, present, **votes):
    """A meeting some days ago; the service counts the body's members from the positions."""
    return {
        "meeting_date": timezone.localdate() - datetime.timedelta(days=days_ago),
        "members_present": present,
        **votes,
    }


def _consult(amendment, office, *, users=(), organizations=(), due_in=10):
    return services.requests_create(
        amendment=_fresh(amendment),
        user=_user(office),
        due=timezone.localdate() + datetime.timedelta(days=due_in),
        users=[_user(u) for u in users],
        organizations=list(organizations),
    )


def _comment(amendment, username, text, label=None):
    key = _article(amendment, label).key if label else None
    return services.comment_add(amendment=_fresh(amendment), user=_user(username), text=text, article_key=key)


def _suggest(amendment, username, article, suggestion, proposed_text, reason, **passage):
    """Đề nghị sửa câu chữ on an article of the draft, or on one of its clauses or points (`passage`: its kind,
    label and parent)."""
    node = _article(amendment, article)
    if passage:
        node = Provision.objects.get(version=amendment.draft_id, article=node, **passage)
    return services.suggestion_add(
        amendment=_fresh(amendment),
        user=_user(username),
        key=node.key,
        kind=suggestion,
        proposed_text=proposed_text,
        reason=reason,
    )


def _answer(amendment, username, no_comment=False):
    services.request_answer(amendment=_fresh(amendment), user=_user(username), no_comment=no_comment)


@transaction.atomic
def seed_amendments() -> int:
    bloc = Organization.objects.get(code="KDCD")
    justice = Organization.objects.get(parent=bloc, code="DBSTP")
    regulations = {
        "bloc": Regulation.objects.get(organization=bloc, kind=RegulationKind.COMMITTEE_RULES),
        "inspection": Regulation.objects.get(organization=bloc, kind=RegulationKind.INSPECTION_RULES),
        "justice": Regulation.objects.get(organization=justice, kind=RegulationKind.COMMITTEE_RULES),
        "coordination": Regulation.objects.get(kind=RegulationKind.COORDINATION),
    }
    if Amendment.objects.filter(regulation__in=regulations.values()).exists():
        return 0
    subordinates = list(Organization.objects.filter(parent=bloc).order_by("path")[:6])
    office, secretary = "vanphong.khoi", "bithu.khoi"

    # 1. The UBKT's working regulation, amended and issued.
    issued = services.amendment_start(
        regulation=regulations["inspection"],
        user=_user(office),
        reason="Cập nhật theo Quy định 296-QĐ/TW về công tác kiểm tra, giám sát và kỷ luật của Đảng.",
    )
    change = _edit(
        issued, office, "1", "Quy chế này", "Quy chế này (sửa đổi năm 2026)", "Ghi rõ phạm vi sau khi sửa đổi."
    )
    _act(issued, office, "submit")
    _act(issued, secretary, comment="Đồng ý đưa ra lấy ý kiến.")
    _consult(issued, office, users=["bch.khoi", "btv.khoi"])
    accepted = _comment(issued, "bch.khoi", "Đề nghị ghi rõ phạm vi áp dụng sau sửa đổi.", label="1")
    explained = _comment(issued, "bch.khoi", "Đề nghị họp Ủy ban Kiểm tra mỗi tuần một lần.")
    _answer(issued, "bch.khoi")
    _answer(issued, "btv.khoi", no_comment=True)
    _act(issued, office, "submit")
    services.disposition_set(
        comment=accepted, user=_user(office), kind="accepted", explanation="Đã bổ sung tại Điều 1.", change_id=change.pk
    )
    services.disposition_set(
        comment=explained,
        user=_user(office),
        kind="explained",
        explanation="Họp hằng tháng là đủ theo Quy định 296-QĐ/TW; họp đột xuất khi cần.",
    )
    _act(issued, office, "submit")
    _act(issued, secretary)
    _act(issued, "btv.khoi", **_meeting(12, 4))
    _act(issued, "bch.khoi", **_meeting(5, 11, votes_for=11, votes_against=0, votes_abstain=0))
    day = timezone.localdate() - datetime.timedelta(days=3)
    # The office keeps the form's signer (the Bí thư, for the BCH); the register gives the number.
    services.amendment_issue(
        amendment=_fresh(issued), user=_user(office), **services.issue_defaults(_fresh(issued), on=day)
    )

    # 2. The Khối's working regulation, out for consultation.
    consulting = services.amendment_start(
        regulation=regulations["bloc"],
        user=_user(office),
        title="Sửa đổi, bổ sung Quy chế làm việc của Ban Chấp hành Đảng bộ Khối năm 2026",
        reason="Thực hiện Kết luận của Ban Thường vụ Thành ủy về rà soát quy chế làm việc; bổ sung chế độ "
        "làm việc trên môi trường số.",
    )
    services.dossier_update(
        amendment=_fresh(consulting),
        user=_user(office),
        expected_revision=0,
        strengths="Quy chế được thực hiện nghiêm túc; các hội nghị được chuẩn bị chu đáo.",
        shortcomings="Một số tài liệu gửi chậm so với quy định; chưa quy định họp trực tuyến.",
        lessons="Cần rà soát thường xuyên các văn bản mới của cấp trên.",
    )
    _edit(
        consulting,
        office,
        "14",
        "07 ngày làm việc",
        "05 ngày làm việc",
        "Rút ngắn thời hạn gửi tài liệu cho phù hợp thực tế.",
    )
    _act(consulting, office, "submit")
    _act(consulting, secretary, comment="Đồng ý lấy ý kiến các tổ chức đảng trực thuộc.")
    _consult(
        consulting,
        office,
        users=["bch.khoi", "btv.khoi", "bch.khoi.01", "bch.khoi.02"],
        organizations=subordinates,
        due_in=2,
    )
    _comment(consulting, "bch.khoi", "Đề nghị giữ thời hạn 07 ngày với tài liệu về nhân sự.", label="14")
    _comment(consulting, "bch.khoi", "Nên quy định rõ họp trực tuyến phải bảo đảm bí mật.", label="14")
    _answer(consulting, "bch.khoi")
    _answer(consulting, "btv.khoi", no_comment=True)
    _comment(consulting, f"bithu.{subordinates[0].code.lower()}", "Thống nhất với dự thảo; đề nghị sớm ban hành.")
    # Proposed wording, one in person and one for a đảng bộ cơ sở, to be taken in or explained in the synthesis.
    _suggest(
        consulting,
        "bch.khoi.01",
        "14",
        "replace",
        "Hội nghị được tổ chức trực tiếp hoặc kết hợp trực tuyến qua hệ thống hội nghị truyền hình của Thành ủy, "
        "bảo đảm an toàn, bảo mật thông tin. Đối với nội dung không thuộc bí mật nhà nước, Thường trực có thể "
        "quyết định lấy ý kiến các thành viên bằng văn bản hoặc qua hệ thống thông tin điều hành điện tử thay cho "
        "họp trực tiếp; kết quả được báo cáo tại phiên họp gần nhất.",
        "Họp trực tuyến phải bảo đảm an toàn thông tin như họp trực tiếp.",
        kind=ProvisionKind.CLAUSE,
        label="4",
    )
    _suggest(
        consulting,
        f"bithu.{subordinates[0].code.lower()}",
        "14",
        "insert_after",
        "Tài liệu hội nghị được gửi kèm phiếu góp ý để thành viên vắng mặt gửi ý kiến bằng văn bản trước ngày họp.",
        "Để ý kiến của thành viên vắng mặt được xem xét tại hội nghị như khoản 3 quy định.",
        kind=ProvisionKind.POINT,
        parent__label="6",
        label="c",
    )

    # 3. The Sở Tư pháp's working regulation, in synthesis.
    synthesis = services.amendment_start(
        regulation=regulations["justice"], user=_user("vanphong.stp"), reason="Bổ sung trách nhiệm chuyển đổi số."
    )
    change = _edit(
        synthesis,
        "vanphong.stp",
        "3",
        "",
        "Ứng dụng công nghệ thông tin trong điều hành công việc.",
        "Đáp ứng yêu cầu chuyển đổi số.",
    )
    _act(synthesis, "vanphong.stp", "submit")
    _consult(synthesis, "vanphong.stp", users=["bithu.dbstp"])
    first = _comment(synthesis, "bithu.dbstp", "Đồng ý bổ sung; đề nghị giao Văn phòng theo dõi.", label="3")
    _comment(synthesis, "bithu.dbstp", "Đề nghị rà soát lại tên gọi các phòng.")
    _answer(synthesis, "bithu.dbstp")
    _act(synthesis, "vanphong.stp", "submit")
    services.disposition_set(
        comment=first,
        user=_user("vanphong.stp"),
        kind="accepted",
        explanation="Đã giao Văn phòng theo dõi.",
        change_id=change.pk,
    )

    # 4. The coordination regulation, being drafted.
    drafting = services.amendment_start(
        regulation=regulations["coordination"],
        user=_user("bithu.ddhdnd"),
        reason="Bổ sung chế độ họp liên tịch ba tháng một lần.",
    )
    _edit(drafting, "bithu.ddhdnd", "1", "", "Họp liên tịch định kỳ ba tháng một lần.", "Theo chỉ đạo của Thành ủy.")

    # 5. The UBKT's regulation again, now before the BTV.
    btv = services.amendment_start(
        regulation=regulations["inspection"], user=_user(office), reason="Điều chỉnh phân công theo dõi địa bàn."
    )
    _edit(btv, office, "2", "", "Phân công ủy viên theo dõi từng cụm cơ sở đảng.", "Rõ người, rõ việc.")
    _act(btv, office, "submit")
    _act(btv, secretary)
    _consult(btv, office, users=["bch.khoi.03"], due_in=0)
    _answer(btv, "bch.khoi.03", no_comment=True)
    _act(btv, office, "submit")
    _act(btv, office, "submit")
    _act(btv, secretary)
    # It has waited for the BTV's meeting for three weeks: the scan reminds the BTV.
    Amendment.objects.filter(pk=btv.pk).update(stage_entered_at=timezone.now() - datetime.timedelta(days=21))
    return 5
