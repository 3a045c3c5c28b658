from django import forms
from django.core.exceptions import ValidationError

from quyche.forms import DATE, TypedText

from .models import RegulationKind, normalize_number
from .parsing import MAX_UPLOAD, Refused, read_docx


class ModelRegulationField(forms.ModelChoiceField):
    """A model regulation, named with the organization that issued it."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=kwargs.pop("queryset"),
            label="Dựa trên quy chế mẫu",
            empty_label="Không dựa trên quy chế mẫu nào",
            required=False,
            **kwargs,
        )

    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.organization.name})"


class ImportForm(forms.Form):
    """Paste a text or upload a .txt / .docx file; the preview shows what was read before saving."""

    text = forms.CharField(label="Dán nội dung văn bản", widget=forms.Textarea(attrs={"rows": 14}), required=False)
    file = forms.FileField(label="Hoặc chọn tệp .txt, .docx", required=False)
    kind = forms.ChoiceField(
        label="Loại quy chế", choices=[("", "Tự nhận biết từ văn bản"), *RegulationKind.choices], required=False
    )

    def __init__(self, *args, models=None, **kwargs):
        """`models`: the model regulations a new regulation may adapt; none, and the choice is not offered."""
        super().__init__(*args, **kwargs)
        if models is not None and models.exists():
            self.fields["based_on"] = ModelRegulationField(queryset=models)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            data["text"] = read_upload(upload)
        if not (data.get("text") or "").strip():
            raise ValidationError("Hãy dán nội dung văn bản hoặc chọn một tệp .txt, .docx.")
        return data


class ImportDetailsForm(forms.Form):
    """What the preview lets the person correct before saving, prefilled with what was read."""

    number = forms.CharField(
        label="Số, ký hiệu", max_length=64, required=False, help_text="Để trống nếu lưu là dự thảo."
    )
    issued = forms.DateField(label="Ngày ban hành", widget=DATE, required=False)
    title = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    signer_name = forms.CharField(label="Người ký", max_length=100, required=False)

    @staticmethod
    def initial_from(document) -> dict:
        return {
            "number": normalize_number(document.number),
            "issued": document.issued,
            "title": document.title,
            "signer_name": document.signer_name,
        }

    def clean(self):
        data = super().clean()
        if data.get("number") and "issued" in self.data and not data.get("issued") and "issued" not in self.errors:
            self.add_error("issued", "Văn bản có số cần có ngày ban hành; để trống số nếu lưu là dự thảo.")
        return data

    def corrections(self) -> dict:
        """Only what the preview posted: a save without these fields keeps what was read."""
        return {name: self.cleaned_data[name] for name in self.fields if name in self.data}


def read_upload(upload) -> str:
    name = upload.name.lower()
    if upload.size > MAX_UPLOAD:
        raise ValidationError(f"Tệp quá lớn (tối đa {MAX_UPLOAD // 2**20} MB).")
    if name.endswith(".docx"):
        try:
            return read_docx(upload)
        except Refused as error:
            raise ValidationError(f"Không mở được tệp .docx này. {error}") from None
        except Exception as error:  # python-docx raises several kinds for a damaged file
            raise ValidationError("Không mở được tệp .docx này. Hãy kiểm tra lại tệp.") from error
    if name.endswith(".txt"):
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("Tệp .txt phải được lưu dạng UTF-8.") from None
    raise ValidationError("Chỉ nhận tệp .txt hoặc .docx.")


class ModelLinkForm(forms.Form):
    """Which model regulation a regulation adapts (quy chế mẫu), for its conformance report."""

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"] = ModelRegulationField(queryset=models)


class InForceForm(forms.Form):
    day = forms.DateField(label="Văn bản có hiệu lực vào ngày", widget=forms.DateInput(attrs={"type": "date"}))


class RepealForm(forms.Form):
    number = TypedText(label="Số, ký hiệu quyết định bãi bỏ", max_length=64)
    day = forms.DateField(label="Ngày bãi bỏ", widget=forms.DateInput(attrs={"type": "date"}))
    body = TypedText(label="Cơ quan ban hành quyết định", max_length=255)


class CorrectionForm(forms.Form):
    heading = forms.CharField(label="Tiêu đề điều", max_length=1000, required=False)
    body = forms.CharField(label="Nội dung điều", widget=forms.Textarea(attrs={"rows": 16}), required=False)
    reason = forms.CharField(label="Lý do đính chính", widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(label="Số văn bản đính chính (nếu có)", max_length=64, required=False)
    issued = forms.DateField(
        label="Ngày văn bản đính chính", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class SuperiorDocumentForm(forms.Form):
    number = TypedText(label="Số, ký hiệu", max_length=64, help_text="Ví dụ: 294-QĐ/TW")
    issued = forms.DateField(label="Ngày ban hành", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    issuer = TypedText(label="Cơ quan ban hành", max_length=255, required=False)
    title = TypedText(label="Trích yếu", max_length=500, required=False)


class DocumentEndForm(forms.Form):
    replaced_by = TypedText(
        label="Được thay thế bởi (số, ký hiệu)", max_length=64, required=False, help_text="Để trống nếu bị bãi bỏ."
    )
    on = forms.DateField(label="Từ ngày", widget=forms.DateInput(attrs={"type": "date"}))
