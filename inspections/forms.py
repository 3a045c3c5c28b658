from django import forms

from organizations.models import Organization
from quyche.forms import DATE, TypedText

from .models import FindingKind, InspectionKind


class InspectionForm(forms.Form):
    inspected = forms.ModelChoiceField(label="Tổ chức được kiểm tra, giám sát", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="Hình thức", choices=InspectionKind.choices)
    date = forms.DateField(label="Ngày kiểm tra, giám sát", widget=DATE)
    team = TypedText(label="Thành phần đoàn", rows=3, required=False)
    scope = TypedText(label="Nội dung, phạm vi", rows=4, required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["inspected"]
        field.queryset = Organization.objects.below(organization)
        field.label_from_instance = lambda org: "– " * (org.depth - organization.depth - 1) + org.name


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=FindingKind.choices)
    description = TypedText(label="Nội dung", rows=4, required=False)
    remediation = TypedText(label="Yêu cầu khắc phục", rows=3, required=False)
    deadline = forms.DateField(label="Hạn khắc phục", widget=DATE)
    article = forms.ChoiceField(label="Liên quan đến quy chế, điều", required=False)

    def __init__(self, *args, citable=(), **kwargs):
        """`citable`: the inspected organization's regulations, each with the articles of its current text."""
        super().__init__(*args, **kwargs)
        self.regulations = {str(regulation.pk): regulation for regulation, _ in citable}
        choices = [("", "Không gắn với quy chế cụ thể")]
        for regulation, articles in citable:
            options = [(str(regulation.pk), "Toàn văn quy chế")]
            options += [(f"{regulation.pk}:{a.key}", f"Điều {a.label}. {a.heading}".strip()) for a in articles]
            choices.append((regulation.title, options))
        self.fields["article"].choices = choices

    def clean_article(self) -> tuple:
        """(regulation, article key), either or both None."""
        regulation_id, _, key = self.cleaned_data["article"].partition(":")
        return self.regulations.get(regulation_id), key or None


class ReportForm(forms.Form):
    report = TypedText(label="Kết quả khắc phục", rows=3, required=False)


class CheckForm(forms.Form):
    accepted = forms.TypedChoiceField(
        choices=[("1", "Đã khắc phục"), ("0", "Chưa đạt")], coerce=lambda value: value == "1"
    )
    comment = TypedText(label="Ý kiến hậu kiểm", rows=3, required=False)
    deadline = forms.DateField(label="Hạn khắc phục mới (nếu chưa đạt)", widget=DATE, required=False)
