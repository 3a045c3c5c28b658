from django import forms
from django.core.exceptions import ValidationError

from quyche.forms import TypedText

from .models import RegulationKind
from .parsing import read_docx

MAX_UPLOAD = 5 * 1024 * 1024


class ImportForm(forms.Form):
    """Paste a text or upload a .txt / .docx file; the preview shows what was read before saving."""

    text = forms.CharField(label="Dán nội dung văn bản", widget=forms.Textarea(attrs={"rows": 14}), required=False)
    file = forms.FileField(label="Hoặc chọn tệp .txt, .docx", required=False)
    kind = forms.ChoiceField(
        label="Loại quy chế", choices=[("", "Tự nhận biết từ văn bản"), *RegulationKind.choices], required=False
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            data["text"] = read_upload(upload)
        if not (data.get("text") or "").strip():
            raise ValidationError("Hãy dán nội dung văn bản hoặc chọn một tệp .txt, .docx.")
        return data


def read_upload(upload) -> str:
    name = upload.name.lower()
    if upload.size > MAX_UPLOAD:
        raise ValidationError("Tệp quá lớn (tối đa 5 MB).")
    if name.endswith(".docx"):
        try:
            return read_docx(upload)
        except Exception as error:  # python-docx raises several kinds for a damaged file
            raise ValidationError("Không mở được tệp .docx này. Hãy kiểm tra lại tệp.") from error
    if name.endswith(".txt"):
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("Tệp .txt phải được lưu dạng UTF-8.") from None
    raise ValidationError("Chỉ nhận tệp .txt hoặc .docx.")


class InForceForm(forms.Form):
    day = forms.DateField(label="Văn bản có hiệu lực vào ngày", widget=forms.DateInput(attrs={"type": "date"}))


class RepealForm(forms.Form):
    number = TypedText(label="Số, ký hiệu quyết định bãi bỏ", max_length=64)
    day = forms.DateField(label="Ngày bãi bỏ", widget=forms.DateInput(attrs={"type": "date"}))
    body = TypedText(label="Cơ quan ban hành quyết định", max_length=255)


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
