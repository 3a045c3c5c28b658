"""The papers filed with an amendment (tờ trình, báo cáo tổng hợp, biên bản, quyết định): written from the
workflow's data, edited as drafts, issued with a number from the register, kept as PDF and DOCX."""

import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from organizations.models import BodyKind
from regulations.models import RegisteredNumber
from reviews import papers, services
from reviews.models import Amendment, AmendmentStatus, Paper, StageKind
from tests import factories
from tests.amendments import act, at_stage, meeting, refresh
from tests.pdf import poppler


def docx_text(content: bytes) -> str:
    """The words of a .docx's body as Word holds them (word/document.xml), runs joined, NFC."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    return " ".join(" ".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)).split()) for p in paragraphs)


def both(amendment, kind) -> list[str]:
    """The paper's text as the PDF prints it and as the DOCX holds it."""
    return [poppler.text(papers.content(amendment, kind, "pdf")), docx_text(papers.content(amendment, kind, "docx"))]


def in_words(day) -> str:
    return f"ngày {day:%d} tháng {day.month} năm {day.year}"


@pytest.fixture
def demo(db, settings, stages):
    settings.DEBUG = True  # the demo seeds a development database only
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    return Amendment.objects.select_related("regulation__organization", "draft", "base_version").get(status="issued")


def test_each_paper_of_the_demo_amendment_says_what_the_workflow_recorded(demo):
    for text in both(demo, "to-trinh"):
        assert "TỜ TRÌNH" in text.upper() and "Số -TTr/ĐUK" in text.replace("\u00a0", "") and "DỰ THẢO" in text
        assert "Kính gửi: Ban Chấp hành Đảng ủy Khối Cơ quan Dân Chính Đảng thành phố Cần Thơ" in text
        assert "Cập nhật theo Quy định 296-QĐ/TW" in text  # the dossier's reason
        assert "Sửa đổi Điều 1: Ghi rõ phạm vi sau khi sửa đổi." in text
        assert "đến 2 nơi (2 đồng chí, 0 tổ chức); 2 nơi đã trả lời, trong đó 1 nơi không có ý kiến" in text
        assert "Tổng số 2 ý kiến góp ý: tiếp thu 1 ý kiến; giải trình 1 ý kiến" in text
        assert "T/M TỔ CÔNG TÁC" in text and "Trần Thị Ngọc" in text  # the working group's chair signs

    for text in both(demo, "bao-cao-tong-hop"):
        assert "BÁO CÁO" in text.upper() and "tổng hợp, tiếp thu, giải trình ý kiến góp ý" in text
        assert "Đồng chí Phạm Thanh Tâm: 2 ý kiến" in text  # counted per source
        assert "Điều 1. Phạm vi điều chỉnh" in text and "Đề nghị ghi rõ phạm vi áp dụng sau sửa đổi." in text
        assert "Tiếp thu: Đã bổ sung tại Điều 1." in text
        assert "Giải trình: Họp hằng tháng là đủ theo Quy định 296-QĐ/TW" in text

    vote = demo.events.get(votes_for__isnull=False, from_stage__kind=StageKind.DECISION)
    for text in both(demo, "bien-ban"):
        assert "BIÊN BẢN" in text.upper() and f"Vào {in_words(vote.meeting_date)}, Ban Chấp hành Đảng ủy Khối" in text
        assert "Tổng số ủy viên: 12 đồng chí; có mặt: 11 đồng chí; vắng mặt: 1 đồng chí." in text
        assert "Nguyễn Văn Long" in text and "Phạm Thanh Tâm" in text  # the BCH's members, by name
        assert "Tán thành: 11/12 đồng chí (91,67% tổng số ủy viên)" in text and "Không tán thành: 0/12" in text
        assert "được thông qua với 11/12 ủy viên tán thành" in text and "CHỦ TRÌ HỘI NGHỊ" in text

    version = demo.draft
    for text in both(demo, "quyet-dinh"):
        assert "QUYẾT ĐỊNH" in text.upper() and "ban hành Quy chế làm việc của Ủy ban Kiểm tra" in text
        assert "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;" in text
        assert "BAN CHẤP HÀNH ĐẢNG ỦY KHỐI CƠ QUAN DÂN CHÍNH ĐẢNG THÀNH PHỐ CẦN THƠ QUYẾT ĐỊNH:" in text
        assert f"Điều 1. Ban hành kèm theo Quyết định này Quy chế số 08-QC/ĐUK {in_words(version.issued)}" in text
        assert f"Điều 2. Quyết định có hiệu lực từ {in_words(version.effective)}; Quy chế số 02-QC/ĐUK" in text
        assert "Như Điều 3" in text and "T/M BAN CHẤP HÀNH" in text and "Nguyễn Văn Long" in text

    # Issued, it takes the next number of its series and prints it with the day.
    office = get_user_model().objects.get(username="vanphong.khoi")
    paper = services.paper_finalize(amendment=demo, kind="quyet-dinh", user=office, expected_revision=0)
    today = timezone.localdate()
    assert paper.number.number == "01-QĐ/ĐUK" and paper.number.status == "confirmed"
    assert paper.number.signer == "Nguyễn Văn Long" and paper.number.issued == today
    for text in (poppler.text(paper.pdf.read()), docx_text(paper.docx.read())):
        assert "Số 01-QĐ/ĐUK" in text and f"ngày {today:%d} tháng {today:%m} năm {today:%Y}" in text
        assert "DỰ THẢO" not in text


def test_a_paper_not_ready_cannot_be_written(people, amendment):
    assert papers.unavailable(amendment, "bien-ban") == "Chưa có hội nghị biểu quyết thông qua dự thảo để lập biên bản."
    with pytest.raises(ValidationError, match="chưa được ban hành"):
        services.paper_save(
            amendment=amendment, kind="quyet-dinh", user=people.office_a, expected_revision=0,
            **papers.generated(amendment, "to-trinh"),
        )  # fmt: skip


def test_the_minutes_name_everyone_present_when_all_attend(people, amendment):
    at_bch = at_stage(amendment, people, (StageKind.DECISION, BodyKind.EXECUTIVE))
    act(at_bch, people.member_a, **meeting(present=6, votes_for=5, votes_against=1, votes_abstain=0))
    assert refresh(amendment).status == AmendmentStatus.ADOPTED
    for text in both(refresh(amendment), "bien-ban"):
        assert "Tổng số ủy viên: 6 đồng chí; có mặt: 6 đồng chí; vắng mặt: 0 đồng chí." in text
        assert "Có mặt: các đồng chí Nguyễn Văn Long, " in text  # the Bí thư first
        assert str(people.member_a.get_full_name()) in text
        assert "Tán thành: 5/6 đồng chí (83,33% tổng số ủy viên)" in text and "Không tán thành: 1/6" in text


def test_a_draft_is_saved_against_its_revision_then_issued_once_and_kept(people, amendment):
    values = {**papers.generated(amendment, "to-trinh"), "body": "I. LÝ DO\nTheo Quy định 294-QĐ/TW."}
    paper = services.paper_save(
        amendment=amendment, kind="to-trinh", user=people.office_a, expected_revision=0, **values
    )
    assert (paper.revision, paper.status, paper.body) == (1, "draft", "I. LÝ DO\nTheo Quy định 294-QĐ/TW.")
    with pytest.raises(ValidationError, match="vừa được người khác cập nhật"):
        services.paper_save(amendment=amendment, kind="to-trinh", user=people.office_a, expected_revision=0, **values)
    with pytest.raises(ValidationError) as refused:
        services.paper_save(
            amendment=amendment, kind="to-trinh", user=people.office_a, expected_revision=1, **{**values, "body": " "}
        )
    assert refused.value.message_dict == {"body": ["Cần có nội dung."]}
    with pytest.raises(PermissionDenied):
        services.paper_save(amendment=amendment, kind="to-trinh", user=people.member_a, expected_revision=1, **values)
    # A working-group member from another body writes the draft; the office issues it with a number.
    helper = factories.UserFactory()
    services.working_group_add(amendment=refresh(amendment), user=people.office_a, member=helper)
    paper = services.paper_save(
        amendment=refresh(amendment), kind="to-trinh", user=helper, expected_revision=1, **values
    )
    with pytest.raises(PermissionDenied, match="Chỉ văn phòng cấp ủy ban hành"):
        services.paper_finalize(amendment=refresh(amendment), kind="to-trinh", user=helper, expected_revision=2)

    issued = services.paper_finalize(amendment=amendment, kind="to-trinh", user=people.office_a, expected_revision=2)
    assert issued.number.number == "01-TTr/ĐUK" and issued.is_final
    printed = poppler.text(issued.pdf.read())
    assert "Số 01-TTr/ĐUK" in printed and "Theo Quy định 294-QĐ/TW." in printed
    assert "Theo Quy định 294-QĐ/TW." in docx_text(issued.docx.read())
    with pytest.raises(ValidationError, match="đã ban hành số 01-TTr/ĐUK; không sửa được nữa"):
        services.paper_save(amendment=amendment, kind="to-trinh", user=people.office_a, expected_revision=3, **values)
    entry = RegisteredNumber.objects.get(paper=issued)
    assert (entry.code, entry.status, entry.title[:17]) == ("TTr", "confirmed", "Tờ trình về việc ")


def test_the_office_edits_on_the_page_and_members_read_only_what_is_issued(login, people, amendment):
    edit = reverse("reviews:paper", args=[amendment.pk, "to-trinh"])
    pdf = reverse("reviews:paper_pdf", args=[amendment.pk, "to-trinh"])
    docx = reverse("reviews:paper_docx", args=[amendment.pk, "to-trinh"])
    listing = reverse("reviews:papers", args=[amendment.pk])
    # Before anything is saved, the form holds the text the data writes.
    office = login(people.office_a)
    page = office.get(edit).content.decode()
    assert "Kính gửi: Ban Chấp hành Đảng ủy Khối Cơ quan thử nghiệm" in page and 'name="revision" value="0"' in page
    for user in (people.member_a, people.outsider):
        client = login(user)
        for url in (edit, pdf, docx):
            assert client.get(url).status_code == 404  # a paper being written is the office's
    assert "Tờ trình" not in login(people.member_a).get(listing).content.decode().split("<h2>")[-1]
    assert login(people.outsider).get(listing).status_code == 404

    office = login(people.office_a)
    form = {**papers.generated(refresh(amendment), "to-trinh"), "revision": "0"}
    response = office.post(edit, {**form, "finalize": "1"})
    assert response["Location"] == listing
    paper = Paper.objects.get(amendment=amendment, kind="to-trinh")
    assert paper.is_final and paper.number.number == "01-TTr/ĐUK"
    stale = office.post(edit, {**form, "save": "1"})
    assert stale["Location"] == listing  # issued: no more form

    member = login(people.member_a)
    assert "01-TTr/ĐUK" in member.get(listing).content.decode()
    kept = b"".join(member.get(pdf).streaming_content)
    assert kept == paper.pdf.open("rb").read()
    response = member.get(docx)
    assert response["Content-Disposition"].endswith('filename="to-trinh-01-TTR-DUK.docx"')
    assert member.post(edit, {**form, "save": "1"}).status_code == 403
    outsider = login(people.outsider)
    for url in (edit, pdf, docx, listing):
        assert outsider.get(url).status_code == 404


def test_the_papers_page_reads_the_same_number_of_queries_however_many_are_issued(
    login, people, amendment, django_assert_num_queries
):
    client = login(people.office_a)
    url = reverse("reviews:papers", args=[amendment.pk])
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    for kind in ("to-trinh", "bao-cao-tong-hop"):
        services.paper_finalize(amendment=refresh(amendment), kind=kind, user=people.office_a, expected_revision=0)
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert "01-TTr/ĐUK" in page and "01-BC/ĐUK" in page


def test_export_paper_writes_the_pdf_or_the_docx(people, amendment, tmp_path, capsys):
    output = tmp_path / "to-trinh.docx"
    call_command("export_paper", str(amendment.pk), "to-trinh", "--format", "docx", "--output", str(output))
    assert "Kính gửi: Ban Chấp hành" in docx_text(output.read_bytes())
    assert capsys.readouterr().out.strip() == str(output)
    call_command("export_paper", str(amendment.pk), "bao-cao-tong-hop", "--output", str(tmp_path / "bc.pdf"))
    assert "BÁO CÁO" in poppler.text((tmp_path / "bc.pdf").read_bytes())
    with pytest.raises(CommandError, match="Chưa có hội nghị biểu quyết"):
        call_command("export_paper", str(amendment.pk), "bien-ban", "--output", str(tmp_path / "bb.pdf"))
    with pytest.raises(CommandError, match="Không có hồ sơ sửa đổi mã 0"):
        call_command("export_paper", "0", "to-trinh")
