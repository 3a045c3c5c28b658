"""The default amendment process for each kind of organization, installed as data.

From "Quy trình xây dựng quy chế làm việc của cấp ủy": the working group drafts, Thường trực
approves the content for consultation, opinions are collected and synthesised, Thường trực
reviews, the BTV gives its opinion and the BCH decides. A chi bộ drafts, its chi ủy reviews and
the chi bộ meeting decides. Offices may change the stages afterwards in the admin.

A meeting of the BTV or the BCH decides only with at least two thirds of its members present. The
chi bộ's deciding meeting is of all its party members, whom the system does not list: whoever
records it gives their number.
"""

QUORATE = {"quorum": "2/3"}
GENERAL_MEETING = {"general_meeting": True}

COMMITTEE = [
    ("Tổ công tác soạn thảo dự thảo", "drafting", "office", False),
    ("Thường trực cho ý kiến về nội dung để lấy ý kiến", "review", "standing_office", False),
    ("Lấy ý kiến tổ chức đảng trực thuộc và cấp ủy viên", "consultation", "office", False),
    ("Tổng hợp, tiếp thu, giải trình ý kiến", "synthesis", "office", False),
    ("Thường trực xem xét dự thảo đã tiếp thu", "review", "standing_office", False),
    ("Ban Thường vụ cho ý kiến", "review", "standing", True, QUORATE),
    ("Ban Chấp hành biểu quyết thông qua", "decision", "executive", True, QUORATE),
]
GRASSROOTS_COMMITTEE = [
    ("Văn phòng soạn thảo dự thảo", "drafting", "office", False),
    ("Lấy ý kiến chi bộ trực thuộc và đảng ủy viên", "consultation", "office", False),
    ("Tổng hợp, tiếp thu, giải trình ý kiến", "synthesis", "office", False),
    ("Ban Chấp hành đảng bộ biểu quyết thông qua", "decision", "executive", True, QUORATE),
]
CELL = [
    ("Soạn thảo dự thảo", "drafting", "executive", False),
    ("Chi ủy cho ý kiến", "review", "executive", True),
    ("Hội nghị chi bộ biểu quyết thông qua", "decision", "executive", True, GENERAL_MEETING),
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
    # The migration that first installs the stages has a model without the meeting rules' fields.
    fields = {field.name for field in Stage._meta.get_fields()}
    for organization_kind, stages in PROCESS.items():
        for order, (name, kind, body_kind, records_meeting, *rules) in enumerate(stages, start=1):
            Stage.objects.get_or_create(
                organization_kind=organization_kind,
                order=order,
                defaults={
                    "name": name, "kind": kind, "body_kind": body_kind, "records_meeting": records_meeting,
                    **{key: value for key, value in (rules[0] if rules else {}).items() if key in fields},
                },
            )  # fmt: skip


def install_meeting_rules(Stage) -> None:
    """Give the stages installed before meeting rules existed the rules of their defaults (for a migration).

    A stage an office has changed since is matched by what it does, not by its name: a BTV or BCH
    meeting of a committee keeps a quorum, a chi bộ's deciding meeting counts its party members.
    """
    for organization_kind, stages in PROCESS.items():
        for _name, kind, body_kind, _records_meeting, *rules in stages:
            if rules:
                Stage.objects.filter(
                    organization_kind=organization_kind, kind=kind, body_kind=body_kind, records_meeting=True
                ).update(**rules[0])
