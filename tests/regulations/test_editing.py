import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from regulations import editing, parsing, selectors, services
from regulations.models import Provision, Regulation, RegulationKind, Version
from tests.regulations import texts

REASON = "Theo Quy định số 232-QĐ/TW"
A = texts.ARTICLES
OFFICE_DUTIES = (
    "Nhiệm vụ của Văn phòng",
    [
        "Tham mưu cho Ban Thường vụ:\n"
        "a) Xây dựng chương trình công tác toàn khóa và hằng năm;\n"
        "b) Chuẩn bị tài liệu các hội nghị của Ban Chấp hành;\n"
        "c) Theo dõi, đôn đốc việc thực hiện quy chế làm việc.",
        "Bảo đảm điều kiện vật chất cho hoạt động của cấp ủy.",
    ],
)


@pytest.fixture
def draft(import_text):
    """A text with no number is a draft: Chương I (Điều 1-3) and Chương II (Điều 4-6)."""
    articles = [A["scope"], A["principles"], A["btv"], OFFICE_DUTIES, A["meetings"], A["implementation"]]
    version = import_text(texts.regulation_text(articles, number=""))
    assert version.is_draft
    return version


def article(version, label):
    return Provision.objects.get(version=version, kind="article", label=label)


def children(provision):
    return list(Provision.objects.filter(parent=provision).order_by("position"))


def article_labels(version):
    return {p.key: p.label for p in Provision.objects.filter(version=version, kind="article")}


def snapshot(version):
    rows = Provision.objects.filter(version=version).order_by("pk")
    fields = ("pk", "key", "kind", "label", "heading", "text", "position", "depth", "parent_id", "revision")
    return list(rows.values_list(*fields)), Provision.history.filter(version_id=version.pk).count()


def assert_in_document_order(version):
    """Positions are 0..n-1 in reading order, depths and articles follow the tree."""
    tree = selectors.provision_tree(version)
    walked, stack = [], [(node, 0, None) for node in reversed(tree.roots)]
    while stack:
        node, depth, owner = stack.pop()
        owner = node if node.kind == "article" else owner
        walked.append(node.pk)
        assert node.depth == depth
        assert node.article_id == (owner.pk if owner else None)
        stack.extend((child, depth + 1, owner) for child in reversed(node.nodes))
    assert [node.pk for node in tree.all] == walked
    assert [node.position for node in tree.all] == list(range(len(tree.all)))


def edit(version, label, body, *, heading=None, user=None, reason=REASON):
    current = article(version, label)
    return editing.article_update(
        article=current,
        user=user,
        heading=current.heading if heading is None else heading,
        body=body,
        reason=reason,
        expected_revision=current.revision,
    )


def test_it_writes_an_articles_body_as_the_document_does(draft):
    assert editing.article_body(article=article(draft, "1")) == A["scope"][1][0]
    assert editing.article_body(article=article(draft, "4")) == (
        "1. Tham mưu cho Ban Thường vụ:\n"
        "a) Xây dựng chương trình công tác toàn khóa và hằng năm;\n"
        "b) Chuẩn bị tài liệu các hội nghị của Ban Chấp hành;\n"
        "c) Theo dõi, đôn đốc việc thực hiện quy chế làm việc.\n"
        "2. Bảo đảm điều kiện vật chất cho hoạt động của cấp ủy."
    )


@pytest.mark.parametrize("name", [texts.GOVERNMENT, texts.CONG_HAI, texts.AMENDING, texts.OCR])
def test_it_reads_every_article_back_as_it_was(cast, name):
    doc = parsing.parse_regulation(texts.corpus(name))
    regulation = Regulation.objects.create(organization=cast.a, kind=RegulationKind.OTHER, title="Dự thảo")
    version = Version.objects.create(regulation=regulation, issuing_organization=cast.a, kind=regulation.kind)
    services.provisions_create(version=version, nodes=doc.provisions, user=cast.office_a, reason=REASON)
    for current in selectors.provision_tree(version).articles:
        with pytest.raises(ValidationError, match="Nội dung không thay đổi."):
            editing.article_update(
                article=current,
                user=cast.office_a,
                heading=current.heading,
                body=editing.article_body(article=current),
                reason=REASON,
                expected_revision=0,
            )


def test_it_updates_an_article_and_keeps_the_clauses_that_continue(cast, draft):
    btv = article(draft, "3")
    first, second = children(btv)
    last_row = Provision.history.latest("history_id").history_id
    body = (
        "1. Quyết định các vấn đề về công tác tổ chức, cán bộ theo phân cấp quản lý.\n"
        "2. Lãnh đạo, chỉ đạo thực hiện nghị quyết của Ban Chấp hành giữa hai kỳ họp và chỉ thị của cấp trên.\n"
        "3. Cho ý kiến về dự thảo quy chế làm việc của các tổ chức cơ sở đảng."
    )
    updated = edit(draft, "3", body, heading="Trách nhiệm và quyền hạn của Ban Thường vụ", user=cast.office_a)

    assert updated.revision == 1 and updated.heading == "Trách nhiệm và quyền hạn của Ban Thường vụ"
    assert editing.article_body(article=updated) == body
    clauses = children(updated)
    # The clauses swapped places and the first was amended: each keeps its identity, not its number.
    assert [(c.key, c.label) for c in clauses[:2]] == [(second.key, "1"), (first.key, "2")]
    assert clauses[2].key not in (first.key, second.key)
    assert [c.article_id for c in clauses] == [btv.pk] * 3
    rows = Provision.history.filter(history_id__gt=last_row)
    assert sorted((r.id, r.history_type) for r in rows) == sorted(
        [(btv.pk, "~"), (first.pk, "~"), (second.pk, "~"), (clauses[2].pk, "+")]
    )
    assert {(r.history_user, r.history_change_reason) for r in rows} == {(cast.office_a, REASON)}
    assert_in_document_order(draft)


def test_it_removes_a_point_and_keeps_the_others(cast, draft):
    duties = article(draft, "4")
    points = children(children(duties)[0])
    body = editing.article_body(article=duties).replace(
        "b) Chuẩn bị tài liệu các hội nghị của Ban Chấp hành;\nc)", "b)"
    )
    edit(draft, "4", body, user=cast.btv_a)

    kept = children(children(duties)[0])
    assert [(p.key, p.label) for p in kept] == [(points[0].key, "a"), (points[2].key, "b")]
    assert not Provision.objects.filter(pk=points[1].pk).exists()
    removal = Provision.history.get(id=points[1].pk, history_type="-")
    assert (removal.history_user, removal.history_change_reason) == (cast.btv_a, REASON)
    assert not points[0].history.filter(history_type="~").exists()
    assert_in_document_order(draft)


def test_it_takes_the_first_line_as_the_articles_own_text_when_it_had_one(cast, draft):
    scope = article(draft, "1")
    Provision.objects.filter(parent=scope).delete()
    Provision.objects.filter(pk=scope.pk).update(text="Quy chế này quy định nguyên tắc làm việc.")

    updated = edit(
        draft, "1", "Quy chế này quy định nguyên tắc, chế độ làm việc.\n1. Một khoản mới.", user=cast.office_a
    )

    assert updated.text == "Quy chế này quy định nguyên tắc, chế độ làm việc."
    assert [(c.kind, c.text) for c in children(updated)] == [("clause", "Một khoản mới.")]


def test_it_refuses_to_edit_an_issued_version(cast, import_text):
    issued = import_text(texts.regulation_text([A["scope"], A["principles"], A["btv"]]))
    before = snapshot(issued)
    target = article(issued, "2")
    attempts = [
        lambda: edit(issued, "2", "Nội dung mới.", user=cast.office_a),
        lambda: editing.article_insert(
            version=issued, after=target, user=cast.office_a, heading="Mới", body="Nội dung.", reason=REASON
        ),
        lambda: editing.article_remove(article=target, user=cast.office_a, reason=REASON, expected_revision=0),
        lambda: editing.article_move(article=target, after=None, user=cast.office_a, reason=REASON),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="Văn bản đã ban hành không thể sửa."):
            attempt()
    assert snapshot(issued) == before


def test_it_refuses_a_save_made_from_an_older_text(cast, draft):
    loaded_by_first = loaded_by_second = article(draft, "3")
    assert loaded_by_first.revision == 0
    first_body = "1. Lãnh đạo việc thực hiện nghị quyết của Ban Chấp hành.\n2. Quyết định về công tác cán bộ."
    editing.article_update(
        article=loaded_by_first,
        user=cast.office_a,
        heading="Ban Thường vụ",
        body=first_body,
        reason=REASON,
        expected_revision=0,
    )
    after_first = snapshot(draft)

    with pytest.raises(editing.ConcurrentEdit) as refused:
        editing.article_update(
            article=loaded_by_second,
            user=cast.btv_a,
            heading="Trách nhiệm của Ban Thường vụ",
            body="1. Một nội dung khác hẳn.",
            reason="Ý kiến khác",
            expected_revision=0,
        )

    assert (refused.value.current_heading, refused.value.current_body) == ("Ban Thường vụ", first_body)
    assert refused.value.current_revision == 1
    assert refused.value.message.startswith(f"Điều 3 vừa được {cast.office_a} sửa lúc ")
    assert refused.value.message.endswith("nội dung của bạn chưa được lưu. Hãy xem bản mới và sửa lại.")
    assert snapshot(draft) == after_first


@pytest.mark.parametrize(
    ("heading", "body", "reason", "message"),
    [
        (None, "1. Nội dung mới.", "  ", "Cần nêu lý do sửa đổi."),
        ("", "", REASON, "Cần nhập tiêu đề hoặc nội dung của điều."),
        (None, "1. Nội dung mới.\nĐiều 4. Một điều khác", REASON, "Dòng 2 của nội dung điều: «Điều 4. Một điều khác»"),
        (None, "1. Nội dung mới.\n\nChương III\nĐIỀU KHOẢN THI HÀNH", REASON, "Dòng 3 của nội dung điều: «Chương III»"),
        (None, "1. Nội dung mới.\nNơi nhận:\n- Như trên;", REASON, "Dòng 2 của nội dung điều: «Nơi nhận:»"),
        (None, None, REASON, "Nội dung không thay đổi."),
    ],
)
def test_it_refuses_what_it_cannot_save_and_changes_nothing(cast, draft, heading, body, reason, message):
    if body is None:  # the article as it stands
        body = editing.article_body(article=article(draft, "3"))
    before = snapshot(draft)
    with pytest.raises(ValidationError) as refused:
        edit(draft, "3", body, heading=heading, user=cast.office_a, reason=reason)
    assert refused.value.message.startswith(message)
    assert snapshot(draft) == before


def test_it_inserts_an_article_and_renumbers_the_ones_after_it(cast, draft):
    keys_before = article_labels(draft)
    second = article(draft, "2")
    preview = editing.preview_insert(version=draft, after=second)
    assert preview == [("", "3"), ("3", "4"), ("4", "5"), ("5", "6"), ("6", "7")]
    assert article_labels(draft) == keys_before  # a preview writes nothing

    new = editing.article_insert(
        version=draft,
        after=second,
        user=cast.office_a,
        heading="Trách nhiệm của Thường trực",
        body="1. Chủ trì giải quyết công việc hằng ngày.\n2. Chuẩn bị nội dung các hội nghị:\na) Của Ban Chấp hành;",
        reason=REASON,
    )

    assert (new.label, new.parent_id, new.depth, new.article_id) == ("3", second.parent_id, second.depth, new.pk)
    clause, with_points = children(new)
    assert [(c.depth, c.article_id) for c in children(with_points)] == [(3, new.pk)]
    keys_after = article_labels(draft)
    renumbered = sorted(
        (keys_before[key], keys_after[key]) for key in keys_before if keys_before[key] != keys_after[key]
    )
    assert [("", new.label), *renumbered] == preview
    assert article(draft, "4").history.first().history_change_reason == f"Đánh số lại ({REASON})"
    assert new.history.get().history_change_reason == REASON
    assert_in_document_order(draft)


def test_it_inserts_the_first_article_of_a_chapter(cast, draft):
    chapter_two = article(draft, "4").parent
    assert editing.preview_insert(version=draft, after=None, parent=chapter_two)[0] == ("", "4")
    new = editing.article_insert(
        version=draft, after=None, parent=chapter_two, user=cast.office_a, heading="Điều mới", body="", reason=REASON
    )
    assert (new.label, new.parent, new.depth) == ("4", chapter_two, 1)
    assert [a.label for a in children(chapter_two)] == ["4", "5", "6", "7"]
    assert_in_document_order(draft)


def test_it_removes_an_article_with_its_clauses_and_renumbers(cast, draft):
    principles = article(draft, "2")
    clauses = children(principles)
    assert editing.preview_remove(article=principles) == [("3", "2"), ("4", "3"), ("5", "4"), ("6", "5")]

    editing.article_remove(article=principles, user=cast.office_a, reason=REASON, expected_revision=0)

    assert [a.heading for a in Provision.objects.filter(version=draft, kind="article").order_by("position")] == [
        A["scope"][0], A["btv"][0], OFFICE_DUTIES[0], A["meetings"][0], A["implementation"][0]
    ]  # fmt: skip
    assert sorted(article_labels(draft).values()) == ["1", "2", "3", "4", "5"]
    removed = Provision.history.filter(id__in=[principles.pk, *(c.pk for c in clauses)], history_type="-")
    assert {(r.history_user, r.history_change_reason) for r in removed} == {(cast.office_a, REASON)}
    assert removed.count() == 3
    assert_in_document_order(draft)


def test_it_refuses_to_remove_an_article_changed_since_it_was_loaded(cast, draft):
    edit(draft, "2", "1. Bảo đảm nguyên tắc tập trung dân chủ.", user=cast.btv_a)
    before = snapshot(draft)
    with pytest.raises(editing.ConcurrentEdit):
        editing.article_remove(article=article(draft, "2"), user=cast.office_a, reason=REASON, expected_revision=0)
    assert snapshot(draft) == before


def test_it_moves_an_article_into_another_chapter_and_renumbers(cast, draft):
    scope, meetings = article(draft, "1"), article(draft, "5")
    preview = editing.preview_move(article=scope, after=meetings)
    assert preview == [("2", "1"), ("3", "2"), ("4", "3"), ("5", "4"), ("1", "5")]

    moved = editing.article_move(article=scope, after=meetings, user=cast.office_a, reason=REASON)

    assert (moved.key, moved.label, moved.parent, moved.depth) == (scope.key, "5", meetings.parent, 1)
    assert [a.label for a in children(meetings.parent)] == ["3", "4", "5", "6"]
    assert moved.history.first().history_change_reason == REASON
    assert_in_document_order(draft)

    back = editing.article_move(
        article=moved, after=None, parent=article(draft, "1").parent, user=cast.office_a, reason=REASON
    )
    assert (back.label, back.parent) == ("1", article(draft, "2").parent)
    assert_in_document_order(draft)


def test_it_refuses_a_move_that_changes_nothing(cast, draft):
    with pytest.raises(ValidationError, match="đã ở vị trí này"):
        editing.article_move(article=article(draft, "3"), after=article(draft, "2"), user=cast.office_a, reason=REASON)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_two_simultaneous_saves_through(cast, draft):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    btv = article(draft, "3")
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user, text):
        try:
            barrier.wait()
            editing.article_update(
                article=btv, user=user, heading=btv.heading, body=text, reason=REASON, expected_revision=0
            )
            outcomes[user.username] = "saved"
        except editing.ConcurrentEdit:
            outcomes[user.username] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(cast.office_a, "1. Nội dung của văn phòng.")),
        threading.Thread(target=save, args=(cast.btv_a, "1. Nội dung của ủy viên Ban Thường vụ.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["refused", "saved"]
    saved_by = next(name for name, outcome in outcomes.items() if outcome == "saved")
    btv.refresh_from_db()
    assert btv.revision == 1
    assert btv.history.first().history_user.username == saved_by
