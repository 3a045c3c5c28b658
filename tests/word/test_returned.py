import datetime
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from regulations import word
from regulations.parsing.limits import Refused
from reviews import services
from reviews import word as consultation_word
from reviews.models import Comment, SuggestionKind
from tests.amendments import act, draft_article, edit_meetings_article, refresh
from tests.word.wordlike import Edited, parts


def upload(data: bytes, name="ban-gop-y.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def asked(people, at_consultation):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=7),
        users=[people.member_a],
    )  # fmt: skip
    return refresh(at_consultation)


def returned(amendment) -> bytes:
    """The consultation copy, edited by a member in Word: a word changed, a clause deleted, a comment."""
    copy = Edited(consultation_word.consultation_copy(amendment), author="Trần Thị Góp Ý")
    copy.replace("Ban Chấp hành họp thường lệ", "ba tháng", "hai tháng")
    copy.delete_paragraph("Quyết định các vấn đề về công tác tổ chức")
    copy.comment("Mọi hoạt động tuân thủ Điều lệ Đảng", "Nên nêu rõ các quy định của Trung ương.")
    return copy.save()


def test_it_reads_a_returned_copy_into_opinions_on_the_right_passages(people, asked):
    opinions = consultation_word.read_returned_copy(upload(returned(asked)), amendment=asked)
    by_place = {opinion.place: opinion for opinion in opinions}
    assert set(by_place) == {"khoản 1 Điều 4", "khoản 2 Điều 3", "khoản 2 Điều 2"}
    meetings = by_place["khoản 1 Điều 4"]
    assert meetings.suggestion == SuggestionKind.REPLACE
    assert (
        meetings.proposed_text == "Ban Chấp hành họp thường lệ hai tháng một lần, Ban Thường vụ họp mỗi tháng một lần."
    )
    assert by_place["khoản 2 Điều 3"].suggestion == SuggestionKind.REMOVE
    comment = by_place["khoản 2 Điều 2"]
    assert comment.suggestion == "" and comment.text.startswith("Nên nêu rõ các quy định của Trung ương.")
    assert "Mọi hoạt động tuân thủ Điều lệ Đảng" in comment.text

    saved = services.returned_copy_save(amendment=asked, user=people.member_a, opinions=opinions)
    assert len(saved) == 3
    stored = {c.place_as_seen: c for c in Comment.objects.filter(amendment=asked, author=people.member_a)}
    assert stored["khoản 1 Điều 4"].base_text.startswith("Ban Chấp hành họp thường lệ ba tháng")
    assert stored["khoản 2 Điều 3"].article_key == draft_article(asked, "3").key
    assert stored["khoản 2 Điều 2"].provision_key is not None and not stored["khoản 2 Điều 2"].is_suggestion


def test_a_member_sends_a_copy_back_sees_the_opinions_then_saves_them(login, people, asked):
    client = login(people.member_a)
    url = reverse("reviews:returned_copy", args=[asked.pk])
    assert "Bản Word đã góp ý" in client.get(url).content.decode()
    page = client.post(url, {"file": upload(returned(asked))}).content.decode()
    assert "Đọc được <strong>3</strong> ý kiến" in page and "Khoản 1 Điều 4" in page and "<ins>hai</ins>" in page
    assert not Comment.objects.filter(amendment=asked).exists()  # nothing saved before it is confirmed
    confirmed = re.search(r'name="confirmed" value="([^"]+)"', page).group(1)
    response = client.post(url, {"confirmed": confirmed, "request": asked.requests.get().pk})
    assert response.status_code == 302 and response["Location"] == reverse("reviews:draft", args=[asked.pk])
    saved = Comment.objects.filter(amendment=asked, author=people.member_a, request__user=people.member_a)
    assert saved.count() == 3 and saved.filter(suggestion=SuggestionKind.REMOVE).count() == 1
    # The confirmation is the reader's own: another person asked cannot replay it as theirs.
    assert login(people.bithu_a).post(url, {"confirmed": confirmed}).status_code in (403, 404)


def test_only_those_asked_send_a_copy_back(login, people, asked):
    url = reverse("reviews:returned_copy", args=[asked.pk])
    assert login(people.btv_a).get(url).status_code == 403  # reads the draft, was not asked
    assert login(people.outsider).get(url).status_code == 404


def refused(amendment, data: bytes, name="ban-gop-y.docx") -> str:
    with pytest.raises(Refused) as error:
        consultation_word.read_returned_copy(upload(data, name), amendment=amendment)
    return str(error.value)


def test_a_copy_of_another_draft_or_no_copy_at_all_is_refused(people, asked):
    data = consultation_word.consultation_copy(asked)
    files = parts(data)
    other = files["docProps/custom.xml"].replace(f">{asked.draft_id}<".encode(), b">999999<")
    assert "dự thảo khác" in refused(asked, rezip(files, {"docProps/custom.xml": other}))
    assert "không phải bản lấy ý kiến" in refused(asked, word.render_version_docx(asked.draft))


def test_a_copy_made_before_the_draft_changed_is_refused(people, amendment):
    stale = consultation_word.consultation_copy(amendment)
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=timezone.localdate(), users=[people.member_a]
    )
    assert "đã cũ" in refused(refresh(amendment), Edited(stale, author="Trần Thị Góp Ý").save())


def test_hostile_files_are_refused_as_the_import_refuses_them(people, asked):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (9 * 2**20) + b"</w:document>")
    assert "bị nén bất thường" in refused(asked, bomb.getvalue())
    assert "Tệp quá lớn" in refused(asked, b"PK" + b"\0" * (5 * 2**20 + 1))
    assert "Chỉ nhận tệp Word" in refused(asked, b"plain text", name="gop-y.txt")
    assert "Không mở được" in refused(asked, b"not a zip at all")
    # Entities are never expanded: a billion laughs in the properties is read as the text it is.
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
        '<property name="QuyChe.DuThao">&d;</property></Properties>'
    )
    files = parts(consultation_word.consultation_copy(asked))
    assert "dự thảo khác" in refused(asked, rezip(files, {"docProps/custom.xml": laughs.encode()}))


def rezip(files: dict, changed: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**files, **changed}.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_change_outside_the_articles_is_an_opinion_on_the_whole_draft_quoting_it(people, asked):
    copy = Edited(consultation_word.consultation_copy(asked), author="Trần Thị Góp Ý")
    copy.replace("Căn cứ Điều lệ Đảng", "Cộng sản Việt Nam", "Cộng sản Việt Nam được Đại hội XIII thông qua")
    [opinion] = consultation_word.read_returned_copy(upload(copy.save()), amendment=asked)
    assert (opinion.place, opinion.suggestion) == ("toàn văn", "")
    assert "Đề nghị thêm: “được Đại hội XIII thông qua”." in opinion.text
