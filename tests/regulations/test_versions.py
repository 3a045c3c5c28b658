import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from regulations import selectors, services
from regulations.models import Provision, VersionStatus


def test_it_links_the_amended_version_to_the_one_it_replaces(two_versions):
    first, second = two_versions
    assert first.status == VersionStatus.REPLACED and second.status == VersionStatus.IN_FORCE
    assert second.replaces == first
    assert second.regulation.current_version == second


def test_it_compares_by_identity_and_content_not_by_number(two_versions):
    first, second = two_versions
    changes = [(c.change, c.old_label, c.new_label) for c in selectors.compare_versions(first, second)]
    assert [c for c in changes if c[0] != "unchanged"] == [
        ("modified", "2", "2"),
        ("added", None, "3"),
        ("renumbered", "3", "4"),
        ("renumbered", "4", "5"),
        ("removed", "5", None),
    ]
    assert selectors.change_summary(selectors.compare_versions(first, second)) == {
        "modified": 1, "added": 1, "removed": 1, "renumbered": 2, "unchanged": 2,
    }  # fmt: skip


def test_it_marks_the_words_that_changed(two_versions):
    first, second = two_versions
    modified = next(c for c in selectors.compare_versions(first, second) if c.change == "modified")
    inserted = "".join(text for op, text in modified.ops if op == "insert")
    assert "đề cao trách nhiệm người đứng đầu" in inserted
    assert not [text for op, text in modified.ops if op == "delete" and text.strip(" ,.")]


def test_it_keeps_an_articles_identity_when_it_is_renumbered(two_versions):
    first, second = two_versions
    old_btv = Provision.objects.get(version=first, kind="article", label="3")
    new_btv = Provision.objects.get(version=second, kind="article", label="4")
    assert old_btv.key == new_btv.key
    old_clause = Provision.objects.get(version=first, parent=old_btv, label="2")
    new_clause = Provision.objects.get(version=second, parent=new_btv, label="2")
    assert old_clause.key == new_clause.key


def test_it_follows_an_article_across_versions(two_versions):
    first, second = two_versions
    btv = Provision.objects.get(version=second, kind="article", label="4")
    steps = selectors.article_across_versions(btv)
    assert [(s.version.number, s.node.label, s.change) for s in steps] == [
        ("01-QC/ĐUK", "3", "added"),
        ("07-QC/ĐUK", "4", "renumbered"),
    ]
    principles = Provision.objects.get(version=second, kind="article", label="2")
    assert [s.change for s in selectors.article_across_versions(principles)] == ["added", "modified"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2025, 9, 14), None),
        (datetime.date(2025, 9, 15), "01-QC/ĐUK"),
        (datetime.date(2026, 3, 19), "01-QC/ĐUK"),
        (datetime.date(2026, 3, 20), "07-QC/ĐUK"),
        (datetime.date(2030, 1, 1), "07-QC/ĐUK"),
    ],
)
def test_it_finds_the_text_in_force_on_a_date(two_versions, day, expected):
    version = selectors.version_in_force(two_versions[0].regulation, day)
    assert (version.number if version else None) == expected


def test_it_records_a_repeal_and_nothing_is_in_force_after_it(cast, two_versions):
    _, second = two_versions
    services.version_repeal(
        version=second,
        number="882 -QĐ/ĐUK",
        day=datetime.date(2026, 10, 1),
        body="Ban Thường vụ Đảng ủy Khối",
        user=cast.office_a,
    )
    second.refresh_from_db()
    assert second.status == VersionStatus.REPEALED and second.repealed_by_number == "882-QĐ/ĐUK"
    assert second.repealed_by == cast.office_a
    assert selectors.version_in_force(second.regulation, datetime.date(2026, 9, 30)) == second
    assert selectors.version_in_force(second.regulation, datetime.date(2026, 10, 1)) is None


def test_it_refuses_a_repeal_before_the_issue_date_or_twice(cast, two_versions):
    _, second = two_versions
    with pytest.raises(ValidationError, match="không thể trước ngày ban hành"):
        services.version_repeal(
            version=second, number="1-QĐ/ĐUK", day=datetime.date(2026, 1, 1), body="BTV", user=cast.office_a
        )
    second.refresh_from_db()
    assert second.status == VersionStatus.IN_FORCE
    services.version_repeal(
        version=second, number="2-QĐ/ĐUK", day=datetime.date(2026, 5, 1), body="BTV", user=cast.office_a
    )
    with pytest.raises(ValidationError, match="đã bị bãi bỏ"):
        services.version_repeal(
            version=second, number="3-QĐ/ĐUK", day=datetime.date(2026, 6, 1), body="BTV", user=cast.office_a
        )


@pytest.mark.parametrize("name", ["btv_a", "superior_btv", "outsider"])
def test_it_refuses_a_repeal_by_anyone_but_the_office_and_changes_nothing(cast, two_versions, name):
    _, second = two_versions
    with pytest.raises(PermissionDenied, match="Chỉ văn phòng cấp ủy mới ghi nhận việc bãi bỏ"):
        services.version_repeal(
            version=second, number="882-QĐ/ĐUK", day=datetime.date(2026, 10, 1), body="BTV", user=getattr(cast, name)
        )
    second.refresh_from_db()
    assert second.status == VersionStatus.IN_FORCE
    assert (second.repealed_by_number, second.repealed_on, second.repealed_by) == ("", None, None)
    assert second.regulation.current_version == second


def test_the_page_offers_the_repeal_to_the_office_and_the_service_refuses_the_others(login, cast, two_versions):
    _, second = two_versions
    url = reverse("regulations:version", args=[second.pk])
    repeal = reverse("regulations:repeal", args=[second.pk])
    data = {"number": "882-QĐ/ĐUK", "day": "2026-10-01", "body": "Ban Thường vụ Đảng ủy Khối"}
    assert "Ghi nhận bãi bỏ" not in login(cast.btv_a).get(url).content.decode()
    response = login(cast.btv_a).post(repeal, data)
    assert response.status_code == 403 and "Chỉ văn phòng cấp ủy mới ghi nhận việc bãi bỏ" in response.content.decode()
    second.refresh_from_db()
    assert second.status == VersionStatus.IN_FORCE
    assert "Ghi nhận bãi bỏ" in login(cast.office_a).get(url).content.decode()
    assert login(cast.office_a).post(repeal, data).status_code == 302
    second.refresh_from_db()
    assert (second.status, second.repealed_by) == (VersionStatus.REPEALED, cast.office_a)
