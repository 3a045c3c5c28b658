import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organizations.choosers import PersonChoices
from organizations.models import OrganizationKind
from quyche.choosers import TYPED_MAX, ChooserField, Entry, ListChoices, Option
from quyche.forms import DATE, LONG_TEXT_MAX, TypedText, posted_id, whole_number
from quyche.text import fold
from regulations import choosers as article_choosers

from .models import DispositionKind, EventAction, SuggestionKind
from .services import PendingComment

# A meeting's and a vote's counts: more than any party committee has members (the column ends at 32,767).
MEMBERS_MAX = 10_000  # a general meeting of a large đảng bộ; the event's columns hold up to 32,767
# The revisions compared on save (positive integers in the database).
REVISION_MAX = 2**31 - 1


class StartForm(forms.Form):
    title = TypedText(label="Tên hồ sơ", max_length=300, required=False)
    reason = TypedText(label="Lý do sửa đổi, bổ sung", rows=5)


class DossierForm(forms.Form):
    reason = TypedText(label="Lý do sửa đổi, bổ sung", max_length=LONG_TEXT_MAX, rows=4, required=False)
    strengths = TypedText(label="Ưu điểm trong thực hiện quy chế", max_length=LONG_TEXT_MAX, rows=4, required=False)
    shortcomings = TypedText(
        label="Hạn chế, khuyết điểm và nguyên nhân", max_length=LONG_TEXT_MAX, rows=4, required=False
    )
    lessons = TypedText(label="Bài học kinh nghiệm", max_length=LONG_TEXT_MAX, rows=3, required=False)
    superior_documents = TypedText(
        label="Văn bản của cấp trên ban hành từ khi có quy chế", max_length=LONG_TEXT_MAX, rows=4, required=False
    )
    matters_arising = TypedText(
        label="Vấn đề mới phát sinh mà quy chế chưa quy định", max_length=LONG_TEXT_MAX, rows=4, required=False
    )
    submission = TypedText(label="Tờ trình", max_length=LONG_TEXT_MAX, rows=8, required=False)
    revision = whole_number(min_value=0, max_value=REVISION_MAX, widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (a, a.label) for a in (EventAction.SUBMIT, EventAction.APPROVE, EventAction.RETURN, EventAction.REJECT)
        ]
    )
    stage = posted_id()
    comment = TypedText(label="Ý kiến", rows=3, required=False)
    meeting_date = forms.DateField(label="Ngày họp", widget=DATE, required=False)
    members_present = whole_number(label="Số thành viên có mặt", min_value=0, max_value=MEMBERS_MAX, required=False)
    # Only at a meeting of all the party members; elsewhere the number of members comes from the positions.
    party_members = whole_number(
        label="Tổng số đảng viên được triệu tập", min_value=1, max_value=MEMBERS_MAX, required=False
    )
    votes_for = whole_number(label="Tán thành", min_value=0, max_value=MEMBERS_MAX, required=False)
    votes_against = whole_number(label="Không tán thành", min_value=0, max_value=MEMBERS_MAX, required=False)
    votes_abstain = whole_number(label="Không biểu quyết", min_value=0, max_value=MEMBERS_MAX, required=False)
    # Set by the confirmation step: not adopting ends the dossier for good.
    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)


def working_group_choices(amendment, shown_to) -> PersonChoices:
    """Who may be added to the working group: anyone with an account in use (its members come from the offices of
    HĐND, UBND, MTTQ as well as the committee's own), found by name or login name; one already in it is refused by
    the service, with a message saying so."""
    return PersonChoices(get_user_model().objects.filter(is_active=True), shown_to=shown_to)


class WorkingGroupForm(forms.Form):
    member = ChooserField(label="Thành viên", help_text="Gõ họ tên hoặc tên đăng nhập, rồi chọn trong gợi ý.")
    affiliation = TypedText(label="Đơn vị công tác", max_length=200, required=False)

    def __init__(self, *args, amendment, user, **kwargs):
        super().__init__(*args, **kwargs)
        url = reverse("reviews:group_people", args=[amendment.pk])
        self.fields["member"].offer(working_group_choices(amendment, user), url)


class ArticleForm(forms.Form):
    heading = TypedText(label="Tên điều", max_length=500, required=False)
    body = TypedText(
        label="Nội dung (mỗi khoản, điểm một dòng: “1. …”, “a) …”, “- …”)",
        max_length=LONG_TEXT_MAX,
        rows=14,
        required=False,
    )
    reason = TypedText(label="Lý do thay đổi", rows=2)
    revision = whole_number(min_value=0, max_value=REVISION_MAX, widget=forms.HiddenInput, required=False)


def draft_article_choices(articles, *, exclude=None) -> ListChoices:
    """The draft's articles an article may be put after (not itself, when it is the one moved), by key."""
    return ListChoices(
        [
            article_choosers.article_entry(a, id=str(a.key), value=str(a.key))
            for a in articles
            if str(a.key) != str(exclude or "")
        ],
        noun=article_choosers.NOUN,
        how=article_choosers.HOW,
    )


class PlaceForm(forms.Form):
    """Where an article goes: after another article (typed by its number or heading), or first in a chapter."""

    after = ChooserField(label="Đặt sau", required=False, help_text="Gõ số hoặc tên điều; để trống: đầu văn bản.")
    reason = TypedText(label="Lý do", rows=2)
    revision = whole_number(min_value=0, max_value=REVISION_MAX, widget=forms.HiddenInput, required=False)

    def __init__(self, *args, amendment=None, articles=(), exclude=None, **kwargs):
        """Without `amendment`, no place is asked (the removal of an article)."""
        super().__init__(*args, **kwargs)
        if amendment is None:
            del self.fields["after"]
            return
        url = reverse("reviews:draft_articles", args=[amendment.pk])
        self.fields["after"].offer(draft_article_choices(articles, exclude=exclude), f"{url}?tru={exclude or ''}")


class InsertForm(PlaceForm, ArticleForm):
    field_order = ["after", "heading", "body", "reason"]


class RequestForm(forms.Form):
    due = forms.DateField(label="Hạn trả lời", widget=DATE)
    users = forms.MultipleChoiceField(label="Cấp ủy viên", widget=forms.CheckboxSelectMultiple, required=False)
    organizations = forms.MultipleChoiceField(
        label="Tổ chức đảng trực thuộc", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, members=(), subordinates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].choices = [(str(u.pk), str(u)) for u in members]
        self.fields["organizations"].choices = [(str(o.pk), o.name) for o in subordinates]
        self._kinds = {str(o.pk): OrganizationKind(o.kind) for o in subordinates}

    def recipient_groups(self) -> list[tuple[str, list]]:
        """The checkboxes in groups, each with its own "chọn tất cả": the members, then the organizations by kind
        (a bloc has close to a hundred of them)."""
        by_kind = {kind: [] for kind in OrganizationKind}
        for box in self["organizations"]:
            by_kind[self._kinds[box.data["value"]]].append(box)
        groups = [("Cấp ủy viên", list(self["users"]))] + [(kind.label, boxes) for kind, boxes in by_kind.items()]
        return [(label, boxes) for label, boxes in groups if boxes]


class ConsultationCloseForm(forms.Form):
    reason = forms.CharField(
        label="Lý do kết thúc lấy ý kiến trước hạn", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CommentForm(forms.Form):
    text = TypedText(label="Ý kiến góp ý", max_length=None, rows=3)  # capped by the service, with its message
    article = forms.UUIDField(widget=forms.HiddenInput, required=False)
    request = posted_id(required=False)


class AnswerForm(forms.Form):
    """Send the answer to a consultation request, with the comments still in their boxes.

    The page's script sends those as pairs, `pending_article` (empty for the whole draft) and `pending_text`.
    """

    request = posted_id(required=False)
    no_comment = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        keys, texts = self.data.getlist("pending_article"), self.data.getlist("pending_text")
        try:
            pairs = zip(keys, texts, strict=True)
            data["pending"] = [PendingComment(uuid.UUID(key) if key else None, text) for key, text in pairs]
        except ValueError:
            raise forms.ValidationError("Không đọc được các góp ý gửi kèm; hãy tải lại trang và gửi lại.") from None
        return data


class ReplyForm(forms.Form):
    text = TypedText(label="Trả lời", max_length=None, rows=2)  # capped by the service, with its message


def change_choices(changes) -> ListChoices:
    """The draft's changes an opinion's disposition may point to (an amendment may make hundreds), by id:
    found by their article ("Điều 5", "5") or the words of their reason."""
    entries = []
    for change in changes:
        text = str(change)[:TYPED_MAX]
        detail = f"{change.author}, {timezone.localtime(change.at):%d/%m/%Y %H:%M}"
        names = frozenset({fold(change.article_label), fold(f"Điều {change.article_label}")})
        entries.append(Entry(Option(str(change.pk), text, detail), change.pk, names, fold(text)))
    return ListChoices(entries, noun="thay đổi", how="số điều hoặc lý do")


class DispositionForm(forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=DispositionKind.choices, widget=forms.RadioSelect)
    explanation = TypedText(label="Nội dung tiếp thu / giải trình", rows=2, required=False)
    change = ChooserField(label="Thay đổi trong dự thảo", required=False, help_text="Để trống: không gắn.")

    def __init__(self, *args, amendment, changes: ListChoices, **kwargs):
        """`changes`: `change_choices` of the amendment's, read once for every opinion of the page."""
        super().__init__(*args, **kwargs)
        self.fields["change"].offer(changes, reverse("reviews:changes", args=[amendment.pk]))


class IssueForm(forms.Form):
    issued = forms.DateField(label="Ngày ban hành", widget=DATE)
    effective = forms.DateField(label="Ngày có hiệu lực (để trống nếu từ ngày ký)", widget=DATE, required=False)
    signer_authority = TypedText(label="Thẩm quyền ký", max_length=100, help_text="Ví dụ: T/M BAN CHẤP HÀNH")
    signer_position = TypedText(label="Chức vụ người ký", max_length=100, help_text="Ví dụ: BÍ THƯ")
    signer_name = TypedText(label="Họ tên người ký", max_length=100)


class SuggestionForm(forms.Form):
    """Đề nghị sửa câu chữ; the wording and the reason are capped by the service, with its messages."""

    kind = forms.ChoiceField(
        label="Đề nghị", choices=SuggestionKind.choices, widget=forms.RadioSelect, initial=SuggestionKind.REPLACE
    )
    proposed_text = TypedText(label="Câu chữ đề nghị", max_length=None, rows=6, required=False)
    reason = TypedText(label="Lý do", max_length=None, rows=3, required=False)
    request = posted_id(required=False)


class PaperForm(forms.Form):
    """A paper's wording, prefilled with what the workflow's data writes; the caps are the service's."""

    subject = TypedText(label="Trích yếu", max_length=None, rows=2)
    body = TypedText(label="Nội dung (mỗi dòng một đoạn; “I.”, “II.” là đề mục; “Điều 1.” là điều)", max_length=None,
                     rows=24)  # fmt: skip
    recipients = TypedText(label="Nơi nhận (mỗi dòng một nơi)", max_length=None, rows=4, required=False)
    signer_authority = TypedText(label="Thẩm quyền ký", max_length=100, required=False)
    signer_position = TypedText(label="Chức vụ người ký", max_length=100, required=False)
    signer_name = TypedText(label="Họ tên người ký", max_length=100, required=False)
    revision = whole_number(min_value=0, max_value=REVISION_MAX, widget=forms.HiddenInput)


class ReturnedCopyForm(forms.Form):
    """A consultation copy edited in Word, sent back; then, once its opinions are shown, their confirmation."""

    file = forms.FileField(label="Bản Word đã góp ý (.docx)", required=False)
    request = posted_id(required=False)
    confirmed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2_000_000)

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        if len(requests) > 1:
            choices = [(r.pk, f"Thay mặt {r.organization.name}" if r.organization_id else "Cá nhân") for r in requests]
            self.fields["request"] = forms.TypedChoiceField(label="Góp ý với tư cách", coerce=int, choices=choices)

    def clean(self):
        data = super().clean()
        if not data.get("confirmed") and not data.get("file"):
            raise ValidationError("Hãy chọn tệp Word (.docx) đã góp ý.")
        return data
