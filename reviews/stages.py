"""The default amendment process for each kind of organization, installed as data.

From "Quy trình xây dựng quy chế làm việc của cấp ủy": the working group drafts, Thường trực
approves the content for consultation, opinions are collected and synthesised, Thường trực
reviews, the BTV gives its opinion and the BCH decides. A chi bộ drafts, its chi ủy reviews and
the chi bộ meeting decides. Offices may change the stages afterwards in the admin.
"""

COMMITTEE = [
    ("Tổ công tác soạn thảo dự thảo", "drafting", "office", False),
    ("Thường trực cho ý kiến về nội dung để lấy ý kiến", "review", "standing_office", False),
    ("Lấy ý kiến tổ chức đảng trực thuộc và cấp ủy viên", "consultation", "office", False),
    ("Tổng hợp, tiếp thu, giải trình ý kiến", "synthesis", "office", False),
    ("Thường trực xem xét dự thảo đã tiếp thu", "review", "standing_office", False),
    ("Ban Thường vụ cho ý kiến", "review", "standing", True),
    ("Ban Chấp hành biểu quyết thông qua", "decision", "executive", True),
]
GRASSROOTS_COMMITTEE = [
    ("Văn phòng soạn thảo dự thảo", "drafting", "office", False),
    ("Lấy ý kiến chi bộ trực thuộc và đảng ủy viên", "consultation", "office", False),
    ("Tổng hợp, tiếp thu, giải trình ý kiến", "synthesis", "office", False),
    ("Ban Chấp hành đảng bộ biểu quyết thông qua", "decision", "executive", True),
]
CELL = [
    ("Soạn thảo dự thảo", "drafting", "executive", False),
    ("Chi ủy cho ý kiến", "review", "executive", True),
    ("Hội nghị chi bộ biểu quyết thông qua", "decision", "executive", True),
]
COLLECTIVE = [
    ("Soạn thảo dự thảo", "drafting", "executive", False),
    ("Tập thể biểu quyết thông qua", "decision", "executive", True),
]
PROCESS = {
    "provincial": COMMITTEE,
    "district": COMMITTEE,
    "bloc": COMMITTEE,
    "grassroots_committee": GRASSROOTS_COMMITTEE,
    "grassroots_cell": CELL,
    "sub_committee": CELL,
    "cell": CELL,
    "party_delegation": COLLECTIVE,
    "party_affairs": COLLECTIVE,
}


def install_default_stages(Stage) -> None:
    """Create the stages a kind of organization does not have yet (takes the model, for migrations)."""
    for organization_kind, stages in PROCESS.items():
        for order, (name, kind, body_kind, records_meeting) in enumerate(stages, start=1):
            Stage.objects.get_or_create(
                organization_kind=organization_kind,
                order=order,
                defaults={"name": name, "kind": kind, "body_kind": body_kind, "records_meeting": records_meeting},
            )
