import datetime
import json
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from organizations.models import Organization
from regulations import selectors, services
from regulations.models import Provision, Regulation, RegulationKind, Version, VersionStatus
from regulations.parsing import ParsedDocument
from tests.regulations import texts


def tree_shape(nodes):
    return [(n.kind, n.label, n.heading, n.text, tree_shape(n.nodes)) for n in nodes]


def test_it_imports_the_cong_hai_regulation_with_its_exact_structure(cast, import_text):
    version = import_text(texts.corpus(texts.CONG_HAI), organization=cast.a_child)
    tree = selectors.provision_tree(version)
    assert [n.label for n in tree.all if n.kind == "chapter"] == ["I", "II", "III", "V"]
    assert tree.counts() == {"chapters": 4, "articles": 13, "clauses": 23, "points": 17}
    assert version.number == "01-QĐ/ĐU" and str(version.issued) == "2025-07-10"
    assert version.status == VersionStatus.IN_FORCE
    assert version.issuing_body == "ĐẢNG ỦY XÃ CÔNG HẢI" and version.place == "Công Hải"
    assert len(version.legal_bases) == 6 and version.enacting.endswith("như sau:")
    assert version.regulation.current_version == version
    assert version.regulation.title.startswith("Quy định về chức năng, nhiệm vụ")
    article = next(n for n in tree.all if n.kind == "article" and n.label == "6")
    assert [c.label for c in article.nodes if c.kind == "clause"] == ["1", "2", "3", "4", "5"]
    assert [p.label for p in article.nodes[0].nodes] == ["a", "b", "c", "d", "đ", "e", "g", "h", "i"]


def test_it_records_who_imported_each_provision_and_why(cast, import_text):
    version = import_text(texts.corpus(texts.CONG_HAI))
    article = Provision.objects.get(version=version, kind="article", label="5")
    record = article.history.get()
    assert record.history_user == cast.office_a
    assert record.history_change_reason == services.IMPORT_REASON


def test_it_stores_text_in_nfc_whatever_arrives(cast, import_text):
    version = import_text(unicodedata.normalize("NFD", texts.corpus(texts.CONG_HAI)))
    for provision in Provision.objects.filter(version=version):
        assert unicodedata.is_normalized("NFC", provision.text + provision.heading)
    assert version.number == "01-QĐ/ĐU"


def test_it_imports_the_governments_regulation_attached_to_its_decree(cast, import_text):
    version = import_text(texts.corpus(texts.GOVERNMENT), organization=cast.a)
    counts = selectors.provision_tree(version).counts()
    assert counts == {"chapters": 8, "articles": 28, "clauses": 72, "points": 31}
    assert version.number == "191/2026/NĐ-CP"
    assert version.regulation.kind == RegulationKind.COMMITTEE_RULES


def test_it_round_trips_a_version_through_plain_text(cast, import_text):
    first = import_text(texts.corpus(texts.CONG_HAI))
    again = services.parse_or_refuse(selectors.version_as_text(first))
    assert again.number == first.number and again.issued == first.issued
    second = import_text(selectors.version_as_text(first), organization=cast.a_child)
    assert tree_shape(selectors.provision_tree(second).roots) == tree_shape(selectors.provision_tree(first).roots)


def test_it_refuses_a_text_without_articles_naming_the_line_and_saves_nothing(cast, import_text):
    before = Regulation.objects.count(), Version.objects.count(), Provision.objects.count()
    with pytest.raises(ValidationError) as error:
        import_text("QUY CHẾ LÀM VIỆC\nvề một việc\n\nNội dung không có điều nào.\n")
    assert "Dòng" in error.value.messages[0]
    assert (Regulation.objects.count(), Version.objects.count(), Provision.objects.count()) == before


def test_it_refuses_a_number_already_used_by_the_issuer_and_saves_nothing(cast, import_text):
    import_text(texts.corpus(texts.CONG_HAI))
    before = Regulation.objects.count(), Version.objects.count(), Provision.objects.count()
    with pytest.raises(ValidationError, match="01-QĐ/ĐU đã được dùng"):
        import_text(texts.corpus(texts.CONG_HAI).replace("Số: 01-QĐ/ĐU", "Số: 01 -QĐ/ĐU"))
    assert (Regulation.objects.count(), Version.objects.count(), Provision.objects.count()) == before


@pytest.mark.parametrize("name", ["btv_a", "member_a", "superior_btv", "outsider"])
def test_it_refuses_an_import_by_anyone_but_the_office_and_saves_nothing(cast, import_text, name):
    regulation = import_text(texts.corpus(texts.CONG_HAI)).regulation
    before = Regulation.objects.count(), Version.objects.count(), Provision.objects.count()
    newer = texts.regulation_text([texts.ARTICLES["scope"]], number="07-QC/ĐUK", date=(20, 3, 2026))
    with pytest.raises(PermissionDenied, match="Chỉ văn phòng cấp ủy mới được nhập văn bản"):
        import_text(texts.regulation_text([texts.ARTICLES["scope"]]), user=getattr(cast, name))
    with pytest.raises(PermissionDenied, match="Chỉ văn phòng cấp ủy mới được nhập văn bản"):
        import_text(newer, regulation=regulation, user=getattr(cast, name))
    assert (Regulation.objects.count(), Version.objects.count(), Provision.objects.count()) == before


def test_it_keeps_a_text_without_number_as_a_draft(cast, import_text):
    version = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number=""))
    assert version.status == VersionStatus.DRAFT and version.number == "" and version.issued is None


def test_it_saves_the_corrections_made_over_what_was_read(cast):
    version = services.regulation_import(
        text=texts.corpus(texts.CONG_HAI), user=cast.office_a, organization=cast.a,
        corrections={"number": "02 -QĐ/ĐU", "issued": datetime.date(2025, 7, 11), "title": "về  Văn phòng\nĐảng ủy xã",
                     "signer_name": "Vũ Thị Trang"},
    ).version  # fmt: skip
    assert (version.number, version.issued, version.title, version.signer_name) == (
        "02-QĐ/ĐU", datetime.date(2025, 7, 11), "về Văn phòng Đảng ủy xã", "Vũ Thị Trang"
    )  # fmt: skip
    assert version.regulation.title == "Quy định về Văn phòng Đảng ủy xã"


def test_a_number_taken_away_in_the_corrections_makes_a_draft(cast, import_text):
    version = services.regulation_import(
        text=texts.corpus(texts.CONG_HAI), user=cast.office_a, organization=cast.a, corrections={"number": ""}
    ).version
    assert (version.status, version.number, version.issued) == (VersionStatus.DRAFT, "", None)


@pytest.mark.parametrize(
    ("corrections", "message"),
    [
        ({"number": "1" * 65}, "Số, ký hiệu quá dài"),
        ({"signer_name": "Vũ " * 40}, "Tên người ký quá dài"),
        ({"title": "về " * 200}, "Tên quy chế quá dài"),
        ({"place": "Công Hải"}, "Không sửa được mục place"),
    ],
)
def test_it_refuses_corrections_the_text_could_not_hold_and_saves_nothing(cast, corrections, message):
    with pytest.raises(ValidationError, match=message):
        services.regulation_import(
            text=texts.corpus(texts.CONG_HAI), user=cast.office_a, organization=cast.a, corrections=corrections
        )
    assert not Regulation.objects.exists() and not Version.objects.exists()


@pytest.mark.parametrize(
    ("letterhead", "organization", "warned"),
    [
        ("ĐẢNG ỦY XÃ CÔNG HẢI", "Đảng bộ Sở Tư pháp", True),
        ("ĐẢNG ỦY KHỐI CƠ QUAN DÂN CHÍNH ĐẢNG", "Đảng ủy Khối Cơ quan thử nghiệm", True),
        ("CHÍNH PHỦ", "Đảng ủy Khối Cơ quan thử nghiệm", True),
        ("ĐẢNG ỦY SỞ TƯ PHÁP", "Đảng bộ Sở Tư pháp", False),
        ("ĐẢNG ỦY KHỐI CƠ QUAN DÂN CHÍNH ĐẢNG", "Đảng ủy Khối Cơ quan Dân Chính Đảng thành phố Cần Thơ", False),
        ("BAN CHẤP HÀNH ĐẢNG BỘ XÃ CÔNG HẢI", "Đảng ủy xã Công Hải", False),
        ("THÀNH ỦY CẦN THƠ", "Đảng bộ thành phố Cần Thơ", False),
        ("CHI BỘ VĂN PHÒNG SỞ", "Chi bộ Văn phòng Sở", False),
        ("", "Đảng bộ Sở Tư pháp", False),
    ],
)
def test_it_warns_when_the_letterhead_names_another_issuer(letterhead, organization, warned):
    warning = services.letterhead_warning(ParsedDocument(issuing_body=letterhead), Organization(name=organization))
    assert bool(warning) is warned
    if warned:
        assert warning.startswith(f"Tiêu đề văn bản ghi cơ quan ban hành là “{letterhead}”, không phải {organization}.")


class TestCommand:
    def run(self, *args):
        from io import StringIO

        out, err = StringIO(), StringIO()
        call_command("import_regulation", *args, stdout=out, stderr=err)
        return json.loads(out.getvalue()), err.getvalue()

    def test_it_prints_the_summary_and_saves(self, cast):
        data, _ = self.run(str(texts.CORPUS / texts.CONG_HAI), "--organization", str(cast.a_child.pk))
        assert data | {"version_id": 0, "regulation_id": 0} == {
            "number": "01-QĐ/ĐU",
            "issued": "2025-07-10",
            "kind": "other",
            "title": "Quy định về chức năng, nhiệm vụ, tổ chức bộ máy của Văn phòng Đảng ủy xã",
            "chapters": 4,
            "articles": 13,
            "clauses": 23,
            "points": 17,
            "version_id": 0,
            "regulation_id": 0,
        }
        assert Version.objects.get(pk=data["version_id"]).regulation.organization == cast.a_child

    def test_it_saves_nothing_on_a_dry_run(self, cast):
        data, _ = self.run(str(texts.CORPUS / texts.CONG_HAI), "--dry-run")
        assert data["articles"] == 13 and "version_id" not in data
        assert not Version.objects.exists()

    def test_it_survives_the_ocr_copy_and_says_what_it_could_not_place(self, cast):
        data, err = self.run(str(texts.CORPUS / texts.OCR), "--dry-run")
        assert data["articles"] > 0
        assert "Dòng " in err

    def test_it_adds_a_newer_and_an_older_version_to_a_regulation(self, cast, tmp_path):
        a = texts.ARTICLES
        middle = tmp_path / "middle.txt"
        middle.write_text(texts.regulation_text([a["scope"], a["btv"]], number="05-QC/ĐUK", date=(1, 1, 2026)))
        data, _ = self.run(str(middle), "--organization", str(cast.a.pk))
        regulation = Regulation.objects.get(pk=data["regulation_id"])
        newer = tmp_path / "newer.txt"
        newer.write_text(
            texts.regulation_text([a["scope"], a["btv"], a["meetings"]], number="09-QC/ĐUK", date=(1, 6, 2026))
        )
        older = tmp_path / "older.txt"
        older.write_text(texts.regulation_text([a["scope"]], number="02-QC/ĐUK", date=(1, 6, 2025)))
        self.run(str(newer), "--regulation", str(regulation.pk))
        self.run(str(older), "--regulation", str(regulation.pk))
        chain = [
            (v.number, v.status, v.replaces.number if v.replaces else None) for v in selectors.versions_of(regulation)
        ]
        assert chain == [
            ("02-QC/ĐUK", "replaced", None),
            ("05-QC/ĐUK", "replaced", "02-QC/ĐUK"),
            ("09-QC/ĐUK", "in_force", "05-QC/ĐUK"),
        ]
        regulation.refresh_from_db()
        assert regulation.current_version.number == "09-QC/ĐUK"

    def test_it_says_what_is_wrong_in_vietnamese(self, cast, tmp_path):
        with pytest.raises(CommandError, match="Không tìm thấy tệp"):
            self.run(str(tmp_path / "khong-co.txt"), "--dry-run")
        with pytest.raises(CommandError, match="Cần --organization hoặc --regulation"):
            self.run(str(texts.CORPUS / texts.CONG_HAI))
        with pytest.raises(CommandError, match="Không có tổ chức mã 999999"):
            self.run(str(texts.CORPUS / texts.CONG_HAI), "--organization", "999999")
        assert not Version.objects.exists()

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("thu-muc", None, "Không tìm thấy tệp"),
            ("hong.docx", b"PK\x03\x04 not really a Word file", "Không mở được tệp .*hong.docx"),
            ("latin.txt", "Điều 1. Phạm vi".encode("cp1258", errors="replace"), "không phải văn bản UTF-8"),
            ("trong.txt", b"  \n", "Văn bản trống"),
            ("khong-dieu.txt", "QUY CHẾ\nvề một việc\n".encode(), "Không đọc được văn bản. Dòng"),
        ],
    )
    def test_it_reports_a_file_it_cannot_read_as_a_message(self, cast, tmp_path, name, content, message):
        path = tmp_path / name
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content)
        for args in (["--dry-run"], ["--organization", str(cast.a.pk)]):
            with pytest.raises(CommandError, match=message):
                self.run(str(path), *args)
        assert not Version.objects.exists()

    def test_it_reports_an_unknown_regulation_and_a_number_already_used(self, cast):
        with pytest.raises(CommandError, match="Không có quy chế mã 999999"):
            self.run(str(texts.CORPUS / texts.CONG_HAI), "--regulation", "999999")
        self.run(str(texts.CORPUS / texts.CONG_HAI), "--organization", str(cast.a.pk))
        with pytest.raises(CommandError, match="Số 01-QĐ/ĐU đã được dùng"):
            self.run(str(texts.CORPUS / texts.CONG_HAI), "--organization", str(cast.a.pk))
        assert Version.objects.count() == 1

    def test_it_records_who_imported_with_user_and_checks_their_right(self, cast):
        path = str(texts.CORPUS / texts.CONG_HAI)
        with pytest.raises(CommandError, match="Không có người dùng với tên đăng nhập khong_co"):
            self.run(path, "--organization", str(cast.a.pk), "--user", "khong_co")
        with pytest.raises(CommandError, match="btv_a: Chỉ văn phòng cấp ủy mới được nhập văn bản"):
            self.run(path, "--organization", str(cast.a.pk), "--user", "btv_a")
        assert not Version.objects.exists()
        data, _ = self.run(path, "--organization", str(cast.a.pk), "--user", "office_a")
        version = Version.objects.get(pk=data["version_id"])
        assert version.created_by == cast.office_a and version.regulation.created_by == cast.office_a
        records = Provision.history.filter(version_id=version.pk)
        assert records.exists() and set(records.values_list("history_user", flat=True)) == {cast.office_a.pk}

    def test_it_says_when_the_letterhead_names_another_issuer(self, cast):
        _, err = self.run(str(texts.CORPUS / texts.CONG_HAI), "--organization", str(cast.a.pk))
        assert "Tiêu đề văn bản ghi cơ quan ban hành là “ĐẢNG ỦY XÃ CÔNG HẢI”" in err
