import io

import docx
import pytest
from django.urls import reverse

from regulations.models import Provision, Version
from regulations.services import IMPORT_REASON
from reviews import services as review_services
from tests.regulations import texts


def get(client, name, *args, **params):
    return client.get(reverse(name, args=args), params)


def test_it_lists_an_organizations_regulations_with_filters(login, two_versions, cast):
    client = login(cast.btv_a)
    page = get(client, "regulations:list", cast.a.pk).content.decode()
    assert "Quy chế làm việc của Ban Chấp hành Đảng bộ Khối" in page and "07-QC/ĐUK" in page
    assert "Quy chế làm việc" in get(client, "regulations:list", cast.a.pk, status="in_force").content.decode()
    page = get(client, "regulations:list", cast.a.pk, status="draft").content.decode()
    assert "Chưa có quy chế nào khớp bộ lọc" in page


def test_the_kept_list_shows_a_repeal_a_new_party_and_a_new_regulation_at_once(login, two_versions, cast, import_text):
    first, second = two_versions
    client = login(cast.btv_a)

    def rows() -> str:
        page = get(client, "regulations:list", cast.a.pk).content.decode()
        return page[page.index('id="regulation-rows"') :]

    assert "Có hiệu lực" in rows() and "Có hiệu lực" in rows()  # drawn, then kept
    second.status = "repealed"
    second.save()
    assert "Có hiệu lực" not in rows() and "Đã bị bãi bỏ" in rows()
    of_b = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number="09-QC/QU"), organization=cast.b)
    assert "09-QC/QU" not in rows()
    of_b.regulation.parties.add(cast.a)  # a joint regulation A is party to
    assert "09-QC/QU" in rows()
    # The filtered fragment htmx asks for is kept apart from the whole list.
    rows = client.get(reverse("regulations:list", args=[cast.a.pk]), {"status": "draft"}, HTTP_HX_REQUEST="true")
    assert "<html" not in rows.content.decode() and "khớp bộ lọc" in rows.content.decode()


def test_a_regulations_kept_page_shows_a_new_dossier_and_its_draft_at_once(login, two_versions, cast):
    first, second = two_versions
    client = login(cast.member_a)
    url = reverse("regulations:detail", args=[second.regulation_id])
    assert "Chưa có hồ sơ sửa đổi nào." in client.get(url).content.decode()  # drawn and kept
    amendment = review_services.amendment_start(
        regulation=second.regulation, user=cast.office_a, title="Sửa đổi chế độ họp", reason="Rà soát"
    )
    page = client.get(url).content.decode()
    assert "Sửa đổi chế độ họp" in page and "Chưa có hồ sơ sửa đổi nào." not in page
    assert reverse("regulations:version", args=[amendment.draft_id]) in page  # the draft among the versions


def test_it_shows_a_version_with_its_table_of_contents_and_anchors(login, two_versions, cast):
    _, second = two_versions
    page = get(login(cast.member_a), "regulations:version", second.pk).content.decode()
    assert 'href="#dieu-4"' in page and 'id="dieu-4"' in page
    assert "Trách nhiệm, quyền hạn của Ban Thường vụ" in page
    assert "Chương II" in page and "TỔ CHỨC THỰC HIỆN" in page
    assert "Số 07-QC/ĐUK" in page and "Cần Thơ, ngày 20 tháng 3 năm 2026" in page
    assert "Thay thế" in page and "01-QC/ĐUK" in page


def test_it_puts_a_banner_on_a_replaced_version(login, two_versions, cast):
    first, second = two_versions
    page = get(login(cast.member_a), "regulations:version", first.pk).content.decode()
    assert "Văn bản này đã được thay thế" in page
    assert reverse("regulations:version", args=[second.pk]) in page


def test_it_shows_an_articles_history_with_word_level_marks(login, two_versions, cast):
    _, second = two_versions
    principles = Provision.objects.get(version=second, kind="article", label="2")
    page = get(login(cast.member_a), "regulations:article", second.pk, principles.key).content.decode()
    assert "01-QC/ĐUK" in page and "07-QC/ĐUK" in page and "sửa đổi" in page
    assert "<ins>, đề cao trách nhiệm người đứng đầu</ins>" in page
    assert IMPORT_REASON in page


def test_it_names_the_system_as_the_author_of_a_text_no_person_imported(login, import_text, cast):
    version = import_text(texts.regulation_text([texts.ARTICLES["scope"]]), organization=cast.b)
    article = Provision.objects.get(version=version, kind="article", label="1")
    page = get(login(cast.outsider), "regulations:article", version.pk, article.key).content.decode()
    assert f"{IMPORT_REASON}: " in page and ", Hệ thống.</p>" in page
    assert "Chưa có chỉnh sửa nào trong phiên bản này." in page


def test_it_compares_two_versions_on_a_page(login, two_versions, cast):
    first, second = two_versions
    client = login(cast.member_a)
    page = get(client, "regulations:compare", first.pk, second.pk).content.decode()
    assert "Sửa đổi 1 điều · bổ sung 1 điều · bãi bỏ 1 điều · chỉ đánh số lại 2 điều" in page
    assert "Điều 5 → –" in page and "– → Điều 3" in page
    assert page.count('class="change-unchanged"') == 0
    page = get(client, "regulations:compare", first.pk, second.pk, tat_ca="1").content.decode()
    assert page.count('class="change-unchanged"') == 2


def test_it_shows_added_and_removed_articles_in_full_and_fetches_renumbered_ones_when_opened(login, import_text, cast):
    a = texts.ARTICLES
    terms = (
        "Giải thích từ ngữ",
        [
            "Vấn đề quan trọng là:\na) vấn đề về tổ chức, cán bộ;\nb) vấn đề về tài chính, tài sản.",
            "Cấp ủy là Ban Chấp hành Đảng bộ Khối.",
        ],
    )
    first = import_text(texts.regulation_text([a["scope"], a["btv"], a["meetings"]]))
    second = import_text(
        texts.regulation_text([a["scope"], terms, a["btv"]], number="07-QC/ĐUK", date=(20, 3, 2026)),
        regulation=first.regulation,
    )
    page = get(login(cast.member_a), "regulations:compare", first.pk, second.pk).content.decode()
    assert (
        "<ins>Giải thích từ ngữ\n1. Vấn đề quan trọng là:\na) vấn đề về tổ chức, cán bộ;\n"
        "b) vấn đề về tài chính, tài sản.\n2. Cấp ủy là Ban Chấp hành Đảng bộ Khối.</ins>"
    ) in page
    assert (
        "<del>Chế độ họp\n1. Ban Chấp hành họp thường lệ ba tháng một lần, Ban Thường vụ họp mỗi tháng một lần.\n"
        "2. Tài liệu hội nghị được gửi trước cho các đồng chí ủy viên ít nhất ba ngày làm việc.</del>"
    ) in page
    # A renumbered article's text is fetched when its row is opened.
    moved = Provision.objects.get(version=second, kind="article", label="3")
    fetch = reverse("regulations:article_text", args=[second.pk, moved.key])
    assert f'hx-get="{fetch}"' in page and "<summary>Điều 2 thành Điều 3 (chỉ đánh số lại)</summary>" in page
    assert "Điều 2 → Điều 3" not in page
    text = login(cast.member_a).get(fetch).content.decode()
    assert (
        text == "Trách nhiệm, quyền hạn của Ban Thường vụ\n1. Lãnh đạo, chỉ đạo thực hiện nghị quyết của Ban "
        "Chấp hành giữa hai kỳ họp.\n2. Quyết định các vấn đề về công tác tổ chức, cán bộ theo phân cấp quản lý."
    )


def test_it_redirects_to_the_text_in_force_on_a_date(login, two_versions, cast):
    first, second = two_versions
    client = login(cast.member_a)
    response = get(client, "regulations:in_force", first.regulation.pk, day="2026-01-01")
    assert response["Location"] == reverse("regulations:version", args=[first.pk]) + "?ngay=2026-01-01"
    response = client.get(
        reverse("regulations:in_force", args=[first.regulation.pk]), {"day": "2020-01-01"}, follow=True
    )
    assert "Không có văn bản nào của quy chế này có hiệu lực vào ngày 01/01/2020" in response.content.decode()
    response = client.get(reverse("regulations:in_force", args=[first.regulation.pk]), {"day": "ngay-sai"}, follow=True)
    assert "Ngày không hợp lệ" in response.content.decode()


class TestImportPage:
    def url(self, cast):
        return reverse("regulations:import", args=[cast.a.pk])

    def test_it_previews_then_saves_a_pasted_text(self, login, cast):
        client = login(cast.office_a)
        text = texts.corpus(texts.CONG_HAI)
        page = client.post(self.url(cast), {"text": text, "action": "preview"}).content.decode()
        assert "4 chương, 13 điều, 23 khoản, 17 điểm" in page
        assert "Cảnh báo (1)" in page and "Chương V" in page
        assert not Version.objects.exists()
        response = client.post(self.url(cast), {"text": text, "action": "save", "kind": ""})
        version = Version.objects.get()
        assert response["Location"] == reverse("regulations:version", args=[version.pk])
        assert version.created_by == cast.office_a

    def test_it_reads_an_uploaded_word_file(self, login, cast):
        document = docx.Document()
        for line in texts.regulation_text(texts.numbered_articles(3)).splitlines():
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        upload = io.BytesIO(buffer.getvalue())
        upload.name = "quy-che.docx"
        page = login(cast.office_a).post(self.url(cast), {"file": upload, "action": "preview"}).content.decode()
        assert "2 chương, 3 điều, 6 khoản, 0 điểm" in page and "01-QC/ĐUK" in page

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"text": "  "}, "Hãy dán nội dung văn bản hoặc chọn một tệp"),
            ({"text": "Chỉ một dòng chữ, không có điều nào."}, "Không đọc được văn bản. Dòng"),
        ],
    )
    def test_it_explains_bad_input_and_saves_nothing(self, login, cast, data, message):
        response = login(cast.office_a).post(self.url(cast), {**data, "action": "save"})
        assert response.content.decode().count(message) == 1
        assert not Version.objects.exists()

    def test_it_refuses_a_file_of_another_type(self, login, cast):
        upload = io.BytesIO(b"%PDF-1.4")
        upload.name = "quy-che.pdf"
        page = login(cast.office_a).post(self.url(cast), {"file": upload, "action": "preview"}).content.decode()
        assert "Chỉ nhận tệp .txt hoặc .docx." in page

    def test_it_saves_what_the_office_corrected_in_the_preview(self, login, cast):
        client = login(cast.office_a)
        text = texts.corpus(texts.CONG_HAI)
        page = client.post(self.url(cast), {"text": text, "action": "preview"}).content.decode()
        for field in (
            'name="number" value="01-QĐ/ĐU"',
            'name="issued" value="2025-07-10"',
            'name="signer_name" value="Vũ Thị Thùy Trang"',
            "\nvề chức năng, nhiệm vụ, tổ chức bộ máy của Văn phòng Đảng ủy xã</textarea>",
        ):
            assert field in page, field
        corrected = {"number": "05 - QĐ/ĐU", "issued": "2025-07-12", "signer_name": "Vũ Thị Thùy Trang (đã ký)",
                     "title": "về chức năng, nhiệm vụ của Văn phòng Đảng ủy xã Công Hải"}  # fmt: skip
        response = client.post(self.url(cast), {"text": text, "action": "save", **corrected})
        version = Version.objects.get()
        assert response["Location"] == reverse("regulations:version", args=[version.pk])
        assert (version.number, str(version.issued), version.signer_name, version.title) == (
            "05-QĐ/ĐU", "2025-07-12", "Vũ Thị Thùy Trang (đã ký)", corrected["title"]
        )  # fmt: skip
        assert version.regulation.title == "Quy định về chức năng, nhiệm vụ của Văn phòng Đảng ủy xã Công Hải"

    def test_a_refused_save_keeps_the_corrections_with_the_reason_beside_them(self, login, cast, import_text):
        import_text(texts.corpus(texts.CONG_HAI).replace("01-QĐ/ĐU", "05-QĐ/ĐU"))
        client = login(cast.office_a)
        text = texts.corpus(texts.CONG_HAI)
        data = {"text": text, "action": "save", "number": "05-QĐ/ĐU", "issued": "2025-07-10", "title": "về Văn phòng"}
        page = client.post(self.url(cast), data).content.decode()
        assert page.count("Số 05-QĐ/ĐU đã được dùng") == 1
        assert 'name="number" value="05-QĐ/ĐU"' in page and "\nvề Văn phòng</textarea>" in page
        page = client.post(self.url(cast), {**data, "number": "06-QĐ/ĐU", "issued": ""}).content.decode()
        assert page.count("Văn bản có số cần có ngày ban hành") == 1
        assert Version.objects.count() == 1

    def test_it_warns_before_saving_when_the_letterhead_names_another_committee(self, login, cast):
        client = login(cast.office_a)
        page = client.post(self.url(cast), {"text": texts.corpus(texts.CONG_HAI), "action": "preview"}).content.decode()
        assert (
            "Tiêu đề văn bản ghi cơ quan ban hành là “ĐẢNG ỦY XÃ CÔNG HẢI”, không phải Đảng ủy Khối Cơ quan thử nghiệm."
            in page
        )
        own = texts.corpus(texts.CONG_HAI).replace("ĐẢNG ỦY XÃ CÔNG HẢI", "ĐẢNG ỦY KHỐI CƠ QUAN THỬ NGHIỆM")
        page = client.post(self.url(cast), {"text": own, "action": "preview"}).content.decode()
        assert "Tiêu đề văn bản ghi cơ quan ban hành" not in page

    def test_it_lets_only_the_office_import(self, login, cast):
        assert login(cast.btv_a).get(self.url(cast)).status_code == 403
        assert login(cast.outsider).get(self.url(cast)).status_code == 404


class TestAccess:
    """B's people cannot reach A's regulations by guessing ids, on any page."""

    def test_it_gives_an_outsider_404_everywhere(self, login, two_versions, cast):
        first, second = two_versions
        article = Provision.objects.filter(version=second, kind="article").first()
        client = login(cast.outsider)
        for name, args in [
            ("regulations:list", [cast.a.pk]),
            ("regulations:import", [cast.a.pk]),
            ("regulations:detail", [first.regulation.pk]),
            ("regulations:in_force", [first.regulation.pk]),
            ("regulations:version", [second.pk]),
            ("regulations:article", [second.pk, article.key]),
            ("regulations:compare", [first.pk, second.pk]),
        ]:
            response = client.get(reverse(name, args=args), {"day": "2026-01-01"})
            assert response.status_code == 404, name
            assert "Ban Thường vụ" not in response.content.decode()
        assert client.post(reverse("regulations:repeal", args=[second.pk])).status_code == 404

    def test_it_hides_a_draft_from_another_committee(self, login, import_text, cast):
        draft = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number=""))
        assert login(cast.outsider).get(reverse("regulations:version", args=[draft.pk])).status_code == 404
        assert login(cast.member_a).get(reverse("regulations:version", args=[draft.pk])).status_code == 200

    def test_it_lets_the_superior_read_a_subordinates_regulation(self, login, two_versions, cast):
        assert (
            login(cast.superior_btv).get(reverse("regulations:version", args=[two_versions[1].pk])).status_code == 200
        )


class TestSearch:
    def test_it_finds_words_typed_without_diacritics_and_points_to_the_article(self, login, two_versions, cast):
        _, second = two_versions
        page = get(login(cast.member_a), "regulations:search", q="tap trung dan chu").content.decode()
        assert "Điều 2" in page
        assert "<mark>tập trung dân chủ</mark>" in page
        assert reverse("regulations:version", args=[second.pk]) + "#dieu-2" in page

    def test_it_matches_both_spellings(self, login, import_text, cast):
        import_text(texts.corpus(texts.CONG_HAI), organization=cast.a_child)
        client = login(cast.btv_a)
        for query in ("Đảng uỷ xã", "dang uy xa", "ĐẢNG ỦY XÃ"):
            assert "<mark>Đảng ủy xã</mark>" in get(client, "regulations:search", q=query).content.decode()

    def test_it_finds_titles(self, login, two_versions, cast):
        page = get(login(cast.member_a), "regulations:search", q="quy che lam viec").content.decode()
        assert "Tên quy chế" in page and "<mark>Quy chế làm việc</mark>" in page

    def test_it_finds_nothing_the_user_may_not_read(self, login, two_versions, cast):
        page = get(login(cast.outsider), "regulations:search", q="tap trung dan chu").content.decode()
        assert "Không tìm thấy kết quả nào" in page


def _version_with(import_text, cast, count):
    return import_text(texts.regulation_text(texts.numbered_articles(count), number=f"{count}-QC/ĐUK"))


@pytest.mark.parametrize("count", [60, 300])
def test_it_shows_a_version_in_a_constant_number_of_queries(
    login, import_text, cast, django_assert_num_queries, uncached_header, count
):
    version = _version_with(import_text, cast, count)
    client = login(cast.member_a)
    url = reverse("regulations:version", args=[version.pk])
    # Session, user, version, seats, whether the reader numbers lines, provisions, three header counts.
    with django_assert_num_queries(9):
        page = client.get(url).content.decode()
    assert f'href="#dieu-{count}"' in page and f'id="dieu-{count}"' in page
    with django_assert_num_queries(8):  # the same but the provisions: an issued text is kept drawn
        kept = client.get(url).content.decode()
    assert f'href="#dieu-{count}"' in kept and f'id="dieu-{count}"' in kept
    assert f"{count} điều" in kept and kept.count('class="doc-article"') == count


@pytest.mark.parametrize("count", [60, 300])
def test_it_shows_an_articles_history_in_a_constant_number_of_queries(
    login, import_text, cast, django_assert_num_queries, count
):
    version = _version_with(import_text, cast, count)
    article = Provision.objects.get(version=version, kind="article", label=str(count))
    client = login(cast.member_a)
    # Session, user, the article with its version, seats, its versions, its text in each (the first time: an
    # issued text's are kept), its history (only the import: no change whose cause to look for), three header
    # counts.
    with django_assert_num_queries(10):
        page = client.get(reverse("regulations:article", args=[version.pk, article.key])).content.decode()
    assert f"Điều {count}." in page and f'#dieu-{count}"' in page


def test_it_draws_a_draft_afresh_on_every_request(login, import_text, cast):
    draft = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number=""))
    client = login(cast.office_a)
    url = reverse("regulations:version", args=[draft.pk])
    assert "Ban Chấp hành Đảng bộ Khối" in client.get(url).content.decode()
    Provision.objects.filter(version=draft).update(text="Văn bản đã sửa trong dự thảo.")
    assert "Văn bản đã sửa trong dự thảo." in client.get(url).content.decode()


def test_it_refuses_a_repeal_with_a_body_over_its_limit_naming_the_field(login, two_versions, cast):
    _, second = two_versions
    response = login(cast.office_a).post(
        reverse("regulations:repeal", args=[second.pk]),
        {"number": "882-QĐ/ĐUK", "day": "2026-10-01", "body": "Ban Thường vụ " * 25},
        follow=True,
    )
    assert "Cơ quan ban hành quyết định: tối đa 255 ký tự (đã nhập 349 ký tự)." in response.content.decode()
    assert Version.objects.get(pk=second.pk).status == "in_force"


@pytest.mark.parametrize("kind", ["clause", "chapter"])
def test_it_follows_a_clause_or_a_chapter_across_versions_too(login, two_versions, cast, kind):
    _, second = two_versions
    provision = Provision.objects.filter(version=second, kind=kind).order_by("position").first()
    response = login(cast.member_a).get(reverse("regulations:article", args=[second.pk, provision.key]))
    assert response.status_code == 200
    *_, (step, _) = response.context["steps"]  # the version the page was opened on, the newer
    assert step.version == second and step.node.key == provision.key and provision.text in step.text
