from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from guardian.admin import GuardedModelAdmin

from quyche.forms import add_service_error

from . import services
from .models import Body, Organization, Position, Term, User

admin.site.register(User, UserAdmin)


class OrganizationAdminForm(forms.ModelForm):
    superior = forms.ModelChoiceField(
        label="Trực thuộc",
        queryset=Organization.objects.all(),
        required=False,
        help_text="Để trống nếu là tổ chức cấp cao nhất.",
    )

    class Meta:
        model = Organization
        fields = ["name", "kind", "code", "symbol"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symbol"].required = False
        if self.instance.pk:
            del self.fields["superior"]
            self.fields["kind"].disabled = True

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            if self.instance.pk:
                services._check_code(code=data["code"], parent=self.instance.parent, exclude_pk=self.instance.pk)
            else:
                services.check_new_organization(
                    name=data["name"], kind=data["kind"], code=data["code"], parent=data.get("superior")
                )
        except ValidationError as error:
            add_service_error(self, error, {"parent": "superior"})
        return data


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(GuardedModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "kind", "code", "symbol", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_folded", "code"]
    list_select_related = ["parent"]

    def get_inlines(self, request, obj):
        # A new organization gets the bodies its kind usually has from the service.
        return [BodyInline] if obj else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.organization_update(
                organization=obj, name=data["name"], code=data["code"], symbol=data.get("symbol", "")
            )
        else:
            form.instance = services.organization_create(
                name=data["name"],
                kind=data["kind"],
                code=data["code"],
                parent=data.get("superior"),
                symbol=data.get("symbol", ""),
                user=request.user,
            )


class TermAdminForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["organization", "name", "start", "end"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.check_term(
                    organization=data["organization"],
                    start=data["start"],
                    end=data.get("end"),
                    exclude_pk=self.instance.pk,
                )
            except ValidationError as error:
                add_service_error(self, error)
        return data


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    form = TermAdminForm
    list_display = ["name", "organization", "start", "end"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name_folded"]
    autocomplete_fields = ["organization"]


class PositionAdminForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["user", "body", "term", "role", "start", "end"]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.instance.pk:
            try:
                services.check_position(**{key: data.get(key) for key in self.Meta.fields})
            except ValidationError as error:
                add_service_error(self, error)
        return data


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    form = PositionAdminForm
    list_display = ["user", "role", "body", "term", "start", "end"]
    list_filter = ["role", "body__kind"]
    list_select_related = ["user", "body__organization", "term__organization"]
    search_fields = ["user__username", "user__last_name", "body__organization__name_folded"]
    autocomplete_fields = ["user", "body", "term"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization"]
    list_filter = ["kind"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name_folded"]
