from django import forms
from django.urls import reverse

from organizations.choosers import OrganizationField, Purpose, register
from organizations.models import Organization
from quyche.choosers import ChooserField, Entry, ListChoices, Option
from quyche.forms import DATE, TypedText
from quyche.text import fold
from regulations import choosers as articles

from . import access
from .models import FindingKind, InspectionKind

# An inspection's target: any organization below the inspecting one (a province has thousands), chosen by
# those who inspect for it.
INSPECTED = register(
    Purpose(
        slug="kiem-tra",
        noun="tổ chức cấp dưới",
        allowed=access.can_inspect,
        among=Organization.objects.below,
        refused="Hãy chọn một tổ chức cấp dưới của tổ chức kiểm tra, giám sát.",
    )
)


class InspectionForm(forms.Form):
    inspected = OrganizationField(
        label="Tổ chức được kiểm tra, giám sát",
        purpose=INSPECTED,
        help_text="Gõ một phần tên hoặc mã; tên trùng nhau thì gõ thêm tên tổ chức cấp trên (“văn phòng sở tư pháp”).",
    )
    kind = forms.ChoiceField(label="Hình thức", choices=InspectionKind.choices)
    date = forms.DateField(label="Ngày kiểm tra, giám sát", widget=DATE)
    team = TypedText(label="Thành phần đoàn", rows=3, required=False)
    scope = TypedText(label="Nội dung, phạm vi", rows=4, required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected"].offer_under(organization)


def citable_choices(citable) -> ListChoices:
    """`citable`: the inspected organization's regulations, each with the articles of its current text; each
    regulation is offered whole, then article by article. A choice is (regulation, article key or None)."""
    entries = []
    for regulation, regulation_articles in citable:
        whole = f"Toàn văn {regulation.title}"
        entries.append(Entry(Option(str(regulation.pk), whole), (regulation, None), frozenset(), fold(whole)))
        entries += [
            articles.article_entry(
                article, id=f"{regulation.pk}:{article.key}", value=(regulation, article.key), detail=regulation.title
            )
            for article in regulation_articles
        ]
    return ListChoices(entries, noun=articles.NOUN, how=articles.HOW)


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=FindingKind.choices)
    description = TypedText(label="Nội dung", rows=4, required=False)
    remediation = TypedText(label="Yêu cầu khắc phục", rows=3, required=False)
    deadline = forms.DateField(label="Hạn khắc phục", widget=DATE)
    article = ChooserField(
        label="Liên quan đến quy chế, điều",
        required=False,
        help_text="Để trống nếu không gắn với quy chế cụ thể; gõ “toàn văn” để gắn với cả quy chế.",
    )

    def __init__(self, *args, inspection, citable=(), **kwargs):
        super().__init__(*args, **kwargs)
        url = reverse("inspections:finding_articles", args=[inspection.pk])
        self.fields["article"].offer(citable_choices(citable), url)

    def clean_article(self) -> tuple:
        """(regulation, article key), either or both None."""
        return self.cleaned_data["article"] or (None, None)


class ReportForm(forms.Form):
    report = TypedText(label="Kết quả khắc phục", rows=3, required=False)


class CheckForm(forms.Form):
    accepted = forms.TypedChoiceField(
        choices=[("1", "Đã khắc phục"), ("0", "Chưa đạt")], coerce=lambda value: value == "1"
    )
    comment = TypedText(label="Ý kiến hậu kiểm", rows=3, required=False)
    deadline = forms.DateField(label="Hạn khắc phục mới (nếu chưa đạt)", widget=DATE, required=False)
