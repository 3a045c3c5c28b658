"""Model regulations with open content, and how far adapted regulations keep to them.

The model is the Công Hải text issued by the city as a quy chế mẫu, with khoản 5 of Điều 3 and the
whole of Điều 8 open. Bloc A adapts it: fills both in, changes a sentence of Điều 9, leaves out
Điều 10 (so 11-13 become 10-12), adds an Điều 13, and writes "hoà" and "uỷ" where the model has
"hòa" and "ủy".
"""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from organizations.models import BodyKind, Role
from regulations import conformance, diffing, services
from regulations.models import Provision, Regulation, RegulationKind
from tests import factories
from tests.regulations import texts

OPEN_CLAUSE = (
    "5. Thực hiện chế độ báo cáo định kỳ, đột xuất với Thường trực, Ban Thường vụ Đảng ủy xã và các cơ quan "
    "chuyên trách tham mưu, giúp việc của tỉnh ủy."
)
# Filled in beyond resemblance: it is paired with the model's khoản 5 by its number.
FILLED_CLAUSE = "5. Mỗi tháng gửi Thường trực Đảng ủy Khối một báo cáo về công việc của Văn phòng."
FILLED_ARTICLE = (
    "Biên chế, tiêu chuẩn, chức danh và cơ cấu công chức: Văn phòng có ba biên chế gồm một Chánh Văn phòng "
    "kiêm nhiệm và hai chuyên viên."
)
CHANGED_SENTENCE = (
    "2. Định kỳ báo cáo công tác với Văn phòng Tỉnh ủy;",
    "2. Định kỳ sáu tháng báo cáo công tác với Văn phòng Thành ủy;",
)
NEW_ARTICLE = (
    "Chế độ thông tin nội bộ",
    "Văn phòng cập nhật danh mục văn bản trên hệ thống thông tin điều hành mỗi tuần một lần.",
)


def adapt(text: str, *, number: str = "01-QĐ/ĐU", article_8: str = FILLED_ARTICLE) -> str:
    """The model as bloc A adapts it."""
    assert OPEN_CLAUSE in text and CHANGED_SENTENCE[0] in text
    text = text.replace("Số: 01-QĐ/ĐU", f"Số: {number}")
    text = text.replace(OPEN_CLAUSE, FILLED_CLAUSE)
    text = re.sub(r"^Điều 8\. .*$", f"Điều 8. {article_8}", text, flags=re.M)
    text = text.replace(*CHANGED_SENTENCE)
    text = re.sub(r"^Điều 10\. .*?(?=^Điều 11\.)", "", text, flags=re.M | re.S)
    text = re.sub(r"^Điều (1[1-3])\.", lambda match: f"Điều {int(match[1]) - 1}.", text, flags=re.M)
    text = text.replace("\nNơi nhận:", f"\nĐiều 13. {NEW_ARTICLE[0]}\n{NEW_ARTICLE[1]}\n\nNơi nhận:")
    # The other spelling of the same words is not a change.
    return text.replace("điều hòa", "điều hoà").replace("Đảng ủy xã Công Hải.", "Đảng uỷ xã Công Hải.")


def provision(version, article_label, clause_label=None):
    article = Provision.objects.get(version=version, kind="article", label=article_label)
    return Provision.objects.get(parent=article, label=clause_label) if clause_label else article


@pytest.fixture
def city_office(cast):
    """Staff of the city's office: drafts for the city, which issues the model."""
    user = factories.UserFactory(username="office_city")
    factories.seat(user, cast.city, BodyKind.OFFICE, Role.OFFICE_STAFF)
    return user


@pytest.fixture
def model(cast, city_office):
    """The city's model regulation (its current version), with khoản 5 of Điều 3 and Điều 8 open."""
    version = services.regulation_import(
        text=texts.corpus(texts.CONG_HAI), user=city_office, organization=cast.city, kind=RegulationKind.MODEL
    ).version
    conformance.open_content_set(provision=provision(version, "3", "5"), user=city_office, value=True)
    conformance.open_content_set(provision=provision(version, "8"), user=city_office, value=True)
    return version


def adopt(version, model):
    return services.regulation_link_model(regulation=version.regulation, model=model.regulation, user=None)


@pytest.fixture
def adapted(model, import_text):
    """Bloc A's regulation based on the model."""
    return adopt(import_text(adapt(texts.corpus(texts.CONG_HAI))), model)


def labels(changes):
    return [(change.old_label, change.new_label) for change in changes]


class TestReport:
    def test_it_reports_what_was_left_out_changed_filled_in_and_added(self, adapted, model):
        report = conformance.conformance_report(adapted)

        assert [(c.old.label, c.old.heading) for c in report.missing] == [
            ("10", "Quan hệ với Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam xã")
        ]
        assert labels(report.changed) == [("9", "9")]
        assert "<ins>sáu tháng </ins>" in diffing.diff_html(report.changed[0].ops)
        assert "<del>Tỉnh</del> <ins>Thành</ins>" in diffing.diff_html(report.changed[0].ops)
        assert labels(report.filled_in) == [("3", "3"), ("8", "8")]
        assert "<ins>Mỗi tháng gửi Thường trực Đảng ủy Khối một</ins>" in diffing.diff_html(report.filled_in[0].ops)
        assert [(c.new.label, c.new.heading) for c in report.added] == [("13", NEW_ARTICLE[0])]
        # Articles 1 and 6 are spelled differently, 11-13 renumbered: none of it is a deviation.
        assert [(c.change, c.old_label, c.new_label) for c in report.unchanged] == [
            ("unchanged", "1", "1"),
            ("unchanged", "2", "2"),
            ("unchanged", "4", "4"),
            ("unchanged", "5", "5"),
            ("unchanged", "6", "6"),
            ("unchanged", "7", "7"),
            ("renumbered", "11", "10"),
            ("renumbered", "12", "11"),
            ("renumbered", "13", "12"),
        ]
        # 9 kept word for word and 2 filled in, of the model's 13 articles: 84.6%, rounded down.
        assert report.figure == 84
        assert report.counts() == {
            "model_articles": 13,
            "conforming": 11,
            "unchanged": 9,
            "filled_in": 2,
            "changed": 1,
            "missing": 1,
            "added": 1,
        }
        assert (report.model_version, report.version) == (model, adapted.current_version)

    def test_it_counts_a_filled_in_clause_as_a_change_once_it_is_no_longer_open(self, adapted, model, city_office):
        conformance.open_content_set(provision=provision(model, "3", "5"), user=city_office, value=False)
        report = conformance.conformance_report(adapted)
        assert labels(report.changed) == [("3", "3"), ("9", "9")]
        assert labels(report.filled_in) == [("8", "8")]
        assert report.figure == 76

    def test_it_counts_a_change_beside_open_content_as_a_change(self, model, import_text):
        text = adapt(texts.corpus(texts.CONG_HAI)).replace("2. Được yêu cầu cấp ủy", "2. Được đề nghị cấp ủy")
        report = conformance.conformance_report(adopt(import_text(text), model))
        assert labels(report.changed) == [("3", "3"), ("9", "9")]
        assert labels(report.filled_in) == [("8", "8")]

    def test_it_pairs_an_open_article_rewritten_under_another_heading_with_the_model_s(self, model, import_text):
        # Nothing like the model's Điều 8, but the only article between Điều 7 and Điều 9.
        rewritten = "Biên chế của Văn phòng: ba biên chế, do Ban Thường vụ Đảng ủy Khối giao hằng năm."
        report = conformance.conformance_report(
            adopt(import_text(adapt(texts.corpus(texts.CONG_HAI), article_8=rewritten)), model)
        )
        assert labels(report.filled_in) == [("3", "3"), ("8", "8")]
        assert labels(report.missing) == [("10", None)]

    def test_a_copy_of_the_model_conforms_fully(self, model, import_text):
        report = conformance.conformance_report(adopt(import_text(texts.corpus(texts.CONG_HAI)), model))
        assert (report.figure, report.changed, report.missing, report.added) == (100, [], [], [])

    def test_it_needs_a_model(self, import_text):
        version = import_text(texts.corpus(texts.CONG_HAI))
        with pytest.raises(ValidationError, match="không dựa trên quy chế mẫu"):
            conformance.conformance_report(version.regulation)

    def test_it_reads_each_text_once(self, adapted, django_assert_num_queries):
        with django_assert_num_queries(2):
            conformance.conformance_report(adapted)


def test_it_gives_many_figures_in_a_constant_number_of_queries(model, cast, import_text, django_assert_num_queries):
    source = texts.corpus(texts.CONG_HAI)

    def text(n):
        """Odd: adapted as bloc A did (84); even: the model word for word (100)."""
        return adapt(source, number=f"{n:02d}-QĐ/ĐU") if n % 2 else source.replace("01-QĐ", f"{n:02d}-QĐ")

    regulations = [adopt(import_text(text(n)), model) for n in range(1, 7)]
    not_adapted = import_text(text(8)).regulation
    with django_assert_num_queries(2):
        few = conformance.conformance_figures(regulations[:2])
    with django_assert_num_queries(2):
        many = conformance.conformance_figures([*regulations, not_adapted])
    assert few == {regulations[0].pk: 84, regulations[1].pk: 100}
    assert many == {regulation.pk: 84 if n % 2 else 100 for n, regulation in enumerate(regulations, start=1)}
    assert many == {regulation.pk: conformance.conformance_report(regulation).figure for regulation in regulations}
    with django_assert_num_queries(2):
        assert conformance.conformance_figures(Regulation.objects.filter(organization=cast.a)) == many


class TestOpenContent:
    def test_it_records_who_marked_it_and_why(self, model, city_office):
        clause = provision(model, "3", "5")
        assert clause.open_content
        record = clause.history.first()
        assert (record.history_user, record.history_change_reason) == (city_office, "Đánh dấu nội dung mở")
        conformance.open_content_set(provision=clause, user=city_office, value=False)
        clause.refresh_from_db()
        assert not clause.open_content
        assert clause.history.first().history_change_reason == "Bỏ đánh dấu nội dung mở"

    @pytest.mark.parametrize("name", ["office_a", "superior_btv", "outsider"])
    def test_it_is_refused_to_those_who_do_not_draft_for_the_model_s_organization(self, model, cast, name):
        clause = provision(model, "2", "1")
        with pytest.raises(PermissionDenied):
            conformance.open_content_set(provision=clause, user=getattr(cast, name), value=True)
        clause.refresh_from_db()
        assert not clause.open_content and clause.history.count() == 1

    def test_it_is_refused_on_a_regulation_that_is_not_a_model(self, cast, import_text):
        version = import_text(texts.corpus(texts.CONG_HAI))
        clause = provision(version, "2", "1")
        with pytest.raises(ValidationError, match="Chỉ quy chế mẫu mới có nội dung mở"):
            conformance.open_content_set(provision=clause, user=cast.office_a, value=True)
        clause.refresh_from_db()
        assert not clause.open_content


class TestPages:
    def url(self, regulation):
        return reverse("regulations:conformance", args=[regulation.pk])

    def test_the_report_is_not_found_by_those_who_may_not_read_the_regulation(self, adapted, cast, login):
        assert login(cast.outsider).get(self.url(adapted)).status_code == 404

    def test_it_shows_the_report(self, adapted, model, cast, login):
        response = login(cast.office_a).get(self.url(adapted))
        assert response.status_code == 200
        page = response.content.decode()
        assert '<strong id="conformance-figure">84%</strong>' in page
        assert "Điều 10. Quan hệ với Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam xã" in page
        assert "<ins>sáu tháng </ins>" in page and "<ins>Mỗi tháng gửi Thường trực Đảng ủy Khối một</ins>" in page
        assert f"Điều 13. {NEW_ARTICLE[0]}" in page
        # A model is written for the organizations below: A's office may open it, not the city's other texts.
        assert reverse("regulations:version", args=[model.pk]) in page

    def test_it_links_to_the_model_for_those_who_may_read_it(self, adapted, model, cast, login):
        page = login(cast.superior_btv).get(self.url(adapted)).content.decode()
        assert reverse("regulations:version", args=[model.pk]) in page

    def test_it_says_when_the_regulation_is_not_based_on_a_model(self, cast, login, import_text):
        regulation = import_text(texts.corpus(texts.CONG_HAI)).regulation
        page = login(cast.office_a).get(self.url(regulation)).content.decode()
        assert "Quy chế này không dựa trên quy chế mẫu nào." in page

    def test_the_regulation_page_links_to_the_report_and_its_figure(self, adapted, cast, login):
        page = login(cast.office_a).get(reverse("regulations:detail", args=[adapted.pk])).content.decode()
        assert page.count(f'"{self.url(adapted)}"') == 2
        assert 'hx-select="#conformance-figure"' in page

    def test_the_model_s_text_shows_its_open_content(self, model, cast, login, import_text):
        page = login(cast.superior_btv).get(reverse("regulations:version", args=[model.pk])).content.decode()
        assert page.count('<span class="badge">Nội dung mở</span>') == 2
        assert reverse("regulations:open_content", args=[model.pk]) in page
        other = import_text(texts.corpus(texts.CONG_HAI))
        page = login(cast.office_a).get(reverse("regulations:version", args=[other.pk])).content.decode()
        assert "open-content" not in page and "noi-dung-mo" not in page

    def test_the_buttons_are_for_the_office_of_the_model_s_organization(self, model, cast, city_office, login):
        url = reverse("regulations:open_content", args=[model.pk])
        response = login(city_office).get(url)
        page = response.content.decode()
        assert (
            page.count('hx-swap-oob="true"')
            == Provision.objects.filter(version=model, kind__in=["article", "clause"]).count()
        )
        assert page.count("Bỏ đánh dấu nội dung mở") == 2
        assert reverse("regulations:open_content_mark", args=[model.pk, provision(model, "3", "5").key]) in page
        assert login(cast.superior_btv).get(url).status_code == 204
        assert login(cast.office_a).get(url).status_code == 204  # reads the model, may not mark it

    def test_it_marks_an_article_open(self, model, city_office, login):
        article = provision(model, "2")
        url = reverse("regulations:open_content_mark", args=[model.pk, article.key])
        response = login(city_office).post(url, {"value": "1"})
        assert response["Location"] == reverse("regulations:version", args=[model.pk]) + "#dieu-2"
        article.refresh_from_db()
        assert article.open_content
        response = login(city_office).post(url, {"value": "0"}, HTTP_HX_REQUEST="true")
        assert 'id="mo-' in response.content.decode() and "Đánh dấu nội dung mở" in response.content.decode()
        article.refresh_from_db()
        assert not article.open_content

    def test_marking_is_refused_to_others(self, model, cast, login, import_text):
        url = reverse("regulations:open_content_mark", args=[model.pk, provision(model, "2").key])
        assert login(cast.superior_btv).post(url, {"value": "1"}).status_code == 403
        assert login(cast.outsider).post(url, {"value": "1"}).status_code == 403  # B, under the city, reads it
        other = import_text(texts.corpus(texts.CONG_HAI))
        url = reverse("regulations:open_content_mark", args=[other.pk, provision(other, "2").key])
        response = login(cast.office_a).post(url, {"value": "1"}, follow=True)
        assert "Chỉ quy chế mẫu mới có nội dung mở." in response.content.decode()
        assert not provision(model, "2").open_content and not provision(other, "2").open_content


class TestLinking:
    """The office says which model its regulation adapts, on the regulation's page or when importing it."""

    @pytest.fixture
    def regulation(self, import_text):
        return import_text(adapt(texts.corpus(texts.CONG_HAI))).regulation

    def test_it_links_a_regulation_to_a_superior_s_model_and_unlinks_it(self, regulation, model, cast):
        services.regulation_link_model(regulation=regulation, model=model.regulation, user=cast.office_a)
        regulation.refresh_from_db()
        assert regulation.based_on == model.regulation
        assert conformance.conformance_report(regulation).figure == 84
        services.regulation_link_model(regulation=regulation, model=None, user=cast.office_a)
        regulation.refresh_from_db()
        assert regulation.based_on is None

    def test_it_refuses_a_text_that_is_not_a_model_or_not_for_this_organization(self, regulation, cast, import_text):
        other = import_text(texts.corpus(texts.CONG_HAI).replace("01-QĐ/ĐU", "02-QĐ/ĐU")).regulation
        beside = services.regulation_import(
            text=texts.corpus(texts.CONG_HAI), user=None, organization=cast.b, kind=RegulationKind.MODEL
        ).version.regulation  # B's model: for B and the organizations below it, not for A
        for model, message in (
            (other, "không phải quy chế mẫu"),
            (regulation, "không thể dựa trên chính nó"),
            (beside, "Chỉ chọn được quy chế mẫu của Đảng ủy Khối Cơ quan thử nghiệm hoặc của cấp trên"),
        ):
            with pytest.raises(ValidationError, match=message):
                services.regulation_link_model(regulation=regulation, model=model, user=cast.office_a)
        regulation.refresh_from_db()
        assert regulation.based_on is None

    @pytest.mark.parametrize("name", ["btv_a", "member_a", "superior_btv"])
    def test_it_is_the_office_s_to_decide(self, regulation, model, cast, name):
        with pytest.raises(PermissionDenied):
            services.regulation_link_model(regulation=regulation, model=model.regulation, user=getattr(cast, name))
        regulation.refresh_from_db()
        assert regulation.based_on is None

    def test_the_office_links_it_from_the_regulation_page_which_then_leads_to_the_report(
        self, regulation, model, cast, login
    ):
        client = login(cast.office_a)
        page = client.get(reverse("regulations:detail", args=[regulation.pk])).content.decode()
        link = reverse("regulations:link_model", args=[regulation.pk])
        assert link in page and f'<option value="{model.regulation.pk}">' in page
        response = client.post(link, {"model": model.regulation.pk}, follow=True)
        page = response.content.decode()
        assert page.count(f"Đã ghi: quy chế này dựa trên “{model.regulation.title}”.") == 1
        assert reverse("regulations:conformance", args=[regulation.pk]) in page
        client.post(link, {"model": ""})
        regulation.refresh_from_db()
        assert regulation.based_on is None

    def test_the_form_is_the_office_s_and_offers_only_what_applies(self, regulation, model, cast, login, import_text):
        other = import_text(texts.corpus(texts.CONG_HAI).replace("01-QĐ/ĐU", "02-QĐ/ĐU")).regulation
        link = reverse("regulations:link_model", args=[regulation.pk])
        response = login(cast.office_a).post(link, {"model": other.pk}, follow=True)
        assert "Hãy chọn một quy chế mẫu trong danh sách." in response.content.decode()
        page = login(cast.member_a).get(reverse("regulations:detail", args=[regulation.pk])).content.decode()
        assert link not in page
        assert login(cast.member_a).post(link, {"model": model.regulation.pk}).status_code == 403
        assert login(cast.outsider).post(link, {"model": model.regulation.pk}).status_code == 404
        regulation.refresh_from_db()
        assert regulation.based_on is None

    def test_the_office_chooses_the_model_when_importing(self, model, cast, login):
        client = login(cast.office_a)
        url = reverse("regulations:import", args=[cast.a.pk])
        page = client.get(url).content.decode()
        assert "Dựa trên quy chế mẫu" in page and f'<option value="{model.regulation.pk}">' in page
        text = adapt(texts.corpus(texts.CONG_HAI))
        page = client.post(url, {"text": text, "based_on": model.regulation.pk, "action": "preview"}).content.decode()
        assert f'<input type="hidden" name="based_on" value="{model.regulation.pk}">' in page
        client.post(url, {"text": text, "based_on": model.regulation.pk, "action": "save"})
        regulation = Regulation.objects.get(organization=cast.a)
        assert regulation.based_on == model.regulation
