from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from guardian.admin import GuardedModelAdmin
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from quyche.forms import add_service_error

from . import services
from .models import Body, Organization, Position, Term, User

# Django names permissions in English when it creates them ("Can add quy chế"): the admin shows them in Vietnamese,
# and only those of the models it manages (not of sessions, content types or the admin's own log).
PERMISSION_ACTIONS = {"add": "Thêm", "change": "Sửa", "delete": "Xóa", "view": "Xem"}
PERMISSIONS_NOT_GRANTED = ["admin", "contenttypes", "guardian", "sessions"]


def permission_label(permission: Permission) -> str:
    action, _, model = permission.codename.partition("_")
    name = permission.content_type.name
    if action in PERMISSION_ACTIONS and model == permission.content_type.model:
        return f"{name[:1].upper()}{name[1:]}: {PERMISSION_ACTIONS[action].lower()}"
    return f"{name[:1].upper()}{name[1:]}: {permission.name}"


class VietnamesePermissions:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.queryset = field.queryset.exclude(content_type__app_label__in=PERMISSIONS_NOT_GRANTED)
            field.label_from_instance = permission_label
        return field


@admin.register(User)
class QuyCheUserAdmin(VietnamesePermissions, UserAdmin):
    pass


admin.site.unregister(Group)
admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class QuyCheTokenAdmin(TokenAdmin):
    autocomplete_fields = ["user"]  # the API's token of one person among thousands, searched as the user types


@admin.register(Group)
class QuyCheGroupAdmin(VietnamesePermissions, GroupAdmin):
    pass


class OrganizationAdminForm(forms.ModelForm):
    # Searched as the user types (the organizations' own search fields): a province has thousands of them.
    superior = forms.ModelChoiceField(
        label="Trực thuộc",
        queryset=Organization.objects.all(),
        required=False,
        help_text="Để trống nếu là tổ chức cấp cao nhất.",
        widget=AutocompleteSelect(Organization._meta.get_field("parent"), admin.site),
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

    def get_fields(self, request, obj=None):
        # An organization stays where it is in the tree: its change form has no "Trực thuộc".
        fields = super().get_fields(request, obj)
        return [name for name in fields if name != "superior"] if obj else fields

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
    autocomplete_fields = ["organization"]  # a province has thousands: searched as the user types
