import uuid

from django import forms
from django.contrib.auth import get_user_model

from quyche.forms import DATE

from .models import DispositionKind, EventAction
from .services import PendingComment


class StartForm(forms.Form):
    title = forms.CharField(label="Tên hồ sơ", max_length=300, required=False)
    reason = forms.CharField(label="Lý do sửa đổi, bổ sung", widget=forms.Textarea(attrs={"rows": 5}))


class DossierForm(forms.Form):
    reason = forms.CharField(label="Lý do sửa đổi, bổ sung", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    strengths = forms.CharField(
        label="Ưu điểm trong thực hiện quy chế", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    shortcomings = forms.CharField(
        label="Hạn chế, khuyết điểm và nguyên nhân", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    lessons = forms.CharField(label="Bài học kinh nghiệm", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    superior_documents = forms.CharField(
        label="Văn bản của cấp trên ban hành từ khi có quy chế",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    matters_arising = forms.CharField(
        label="Vấn đề mới phát sinh mà quy chế chưa quy định", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    submission = forms.CharField(label="Tờ trình", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (a, a.label) for a in (EventAction.SUBMIT, EventAction.APPROVE, EventAction.RETURN, EventAction.REJECT)
        ]
    )
    stage = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label="Ý kiến", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    meeting_date = forms.DateField(label="Ngày họp", widget=DATE, required=False)
    members_present = forms.IntegerField(label="Số thành viên có mặt", min_value=0, required=False)
    # Only at a meeting of all the party members; elsewhere the number of members comes from the positions.
    party_members = forms.IntegerField(label="Tổng số đảng viên được triệu tập", min_value=1, required=False)
    votes_for = forms.IntegerField(label="Tán thành", min_value=0, required=False)
    votes_against = forms.IntegerField(label="Không tán thành", min_value=0, required=False)
    votes_abstain = forms.IntegerField(label="Không biểu quyết", min_value=0, required=False)
    # Set by the confirmation step: not adopting ends the dossier for good.
    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)


class WorkingGroupForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập của thành viên", max_length=150)
    affiliation = forms.CharField(label="Đơn vị công tác", max_length=200, required=False)

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError("Không có người dùng với tên đăng nhập này.")
        return user


class ArticleForm(forms.Form):
    heading = forms.CharField(label="Tên điều", max_length=500, required=False)
    body = forms.CharField(
        label="Nội dung (mỗi khoản, điểm một dòng: “1. …”, “a) …”, “- …”)",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
    )
    reason = forms.CharField(label="Lý do thay đổi", widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlaceForm(forms.Form):
    """Where an article goes: after another article, or first in a chapter."""

    after = forms.ChoiceField(label="Đặt sau", required=False)
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, articles=(), exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after"].choices = [("", "Đầu văn bản")] + [
            (str(a.key), f"Điều {a.label}. {a.heading}"[:120]) for a in articles if a.key != exclude
        ]


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


class ConsultationCloseForm(forms.Form):
    reason = forms.CharField(
        label="Lý do kết thúc lấy ý kiến trước hạn", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CommentForm(forms.Form):
    text = forms.CharField(label="Ý kiến góp ý", widget=forms.Textarea(attrs={"rows": 3}))
    article = forms.UUIDField(widget=forms.HiddenInput, required=False)
    request = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AnswerForm(forms.Form):
    """Send the answer to a consultation request, with the comments still in their boxes.

    The page's script sends those as pairs, `pending_article` (empty for the whole draft) and `pending_text`.
    """

    request = forms.IntegerField(widget=forms.HiddenInput, required=False)
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
    text = forms.CharField(label="Trả lời", widget=forms.Textarea(attrs={"rows": 2}))


class DispositionForm(forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=DispositionKind.choices, widget=forms.RadioSelect)
    explanation = forms.CharField(
        label="Nội dung tiếp thu / giải trình", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    change = forms.ChoiceField(label="Thay đổi trong dự thảo", required=False)

    def __init__(self, *args, changes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change"].choices = [("", "(không gắn)")] + [(str(c.pk), str(c)[:120]) for c in changes]


class IssueForm(forms.Form):
    number = forms.CharField(label="Số, ký hiệu", max_length=64)
    issued = forms.DateField(label="Ngày ban hành", widget=DATE)
    effective = forms.DateField(label="Ngày có hiệu lực (để trống nếu từ ngày ký)", widget=DATE, required=False)
    signer_authority = forms.CharField(label="Thẩm quyền ký", max_length=100, help_text="Ví dụ: T/M BAN CHẤP HÀNH")
    signer_position = forms.CharField(label="Chức vụ người ký", max_length=100, help_text="Ví dụ: BÍ THƯ")
    signer_name = forms.CharField(label="Họ tên người ký", max_length=100)
