"""The party hierarchy: organizations, their bodies, terms, and who holds which position."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from quyche.text import fold, nfc


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Gửi ngay từng thông báo"
    DIGEST = "digest", "Gửi một thư tổng hợp mỗi ngày"
    NONE = "none", "Không gửi thư (chỉ xem trên trang)"


class User(AbstractUser):
    """A person using Quy chế. Vietnamese names read family name first: "Nguyễn Văn An"."""

    email_mode = models.CharField(
        "nhận thông báo qua thư điện tử", max_length=16, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    # The full name as searched (quyche/text.py's fold): a person is found by typing "nguyen van an".
    name_folded = models.CharField("họ tên không dấu", max_length=301, blank=True, editable=False, db_default="")

    class Meta(AbstractUser.Meta):
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def get_full_name(self):
        return f"{self.last_name} {self.first_name}".strip()

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.get_full_name())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    def __str__(self):
        return self.get_full_name() or self.username


class OrganizationKind(models.TextChoices):
    PROVINCIAL = "provincial", "Tỉnh ủy / Thành ủy"
    DISTRICT = "district", "Huyện ủy / Quận ủy / Thị ủy / Thành ủy thuộc tỉnh"
    BLOC = "bloc", "Đảng ủy Khối"
    GRASSROOTS_COMMITTEE = "grassroots_committee", "Đảng bộ cơ sở"
    GRASSROOTS_CELL = "grassroots_cell", "Chi bộ cơ sở"
    SUB_COMMITTEE = "sub_committee", "Đảng bộ bộ phận"
    CELL = "cell", "Chi bộ trực thuộc"
    PARTY_DELEGATION = "party_delegation", "Đảng đoàn"
    PARTY_AFFAIRS = "party_affairs", "Ban cán sự đảng"


class BodyKind(models.TextChoices):
    EXECUTIVE = "executive", "Ban Chấp hành"
    STANDING = "standing", "Ban Thường vụ"
    STANDING_OFFICE = "standing_office", "Thường trực"
    INSPECTION = "inspection", "Ủy ban Kiểm tra"
    OFFICE = "office", "Văn phòng"


K = OrganizationKind
B = BodyKind

# Which kinds may sit directly under which; None is "at the top".
ALLOWED_PARENTS: dict[str, set] = {
    K.PROVINCIAL: {None},
    K.DISTRICT: {K.PROVINCIAL},
    K.BLOC: {K.PROVINCIAL},
    K.GRASSROOTS_COMMITTEE: {K.PROVINCIAL, K.DISTRICT, K.BLOC},
    K.GRASSROOTS_CELL: {K.PROVINCIAL, K.DISTRICT, K.BLOC},
    K.SUB_COMMITTEE: {K.GRASSROOTS_COMMITTEE},
    K.CELL: {K.GRASSROOTS_COMMITTEE, K.SUB_COMMITTEE},
    K.PARTY_DELEGATION: {K.PROVINCIAL, K.DISTRICT},
    K.PARTY_AFFAIRS: {K.PROVINCIAL, K.DISTRICT},
}

# The symbol an organization of each kind signs its documents with ("25-QC/TU").
DEFAULT_SYMBOL = {
    K.PROVINCIAL: "TU",
    K.DISTRICT: "HU",
    K.BLOC: "ĐUK",
    K.GRASSROOTS_COMMITTEE: "ĐU",
    K.GRASSROOTS_CELL: "CB",
    K.SUB_COMMITTEE: "ĐU",
    K.CELL: "CB",
    K.PARTY_DELEGATION: "ĐĐ",
    K.PARTY_AFFAIRS: "BCS",
}

# Bodies each kind may have. A chi bộ has a chi ủy (or only a bí thư) and no BTV;
# a đảng đoàn or ban cán sự đảng is itself one collective.
ALLOWED_BODIES: dict[str, tuple] = {
    K.PROVINCIAL: (B.EXECUTIVE, B.STANDING, B.STANDING_OFFICE, B.INSPECTION, B.OFFICE),
    K.DISTRICT: (B.EXECUTIVE, B.STANDING, B.STANDING_OFFICE, B.INSPECTION, B.OFFICE),
    K.BLOC: (B.EXECUTIVE, B.STANDING, B.STANDING_OFFICE, B.INSPECTION, B.OFFICE),
    K.GRASSROOTS_COMMITTEE: (B.EXECUTIVE, B.STANDING, B.INSPECTION, B.OFFICE),
    K.GRASSROOTS_CELL: (B.EXECUTIVE,),
    K.SUB_COMMITTEE: (B.EXECUTIVE,),
    K.CELL: (B.EXECUTIVE,),
    K.PARTY_DELEGATION: (B.EXECUTIVE,),
    K.PARTY_AFFAIRS: (B.EXECUTIVE,),
}

# Tổ chức cơ sở đảng: the two grassroots kinds, counted together as "TCCSĐ".
GRASSROOTS_KINDS = (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL)


def body_name(kind: str, organization_kind: str) -> str:
    """The usual name of a body: a chi bộ's executive is its chi ủy."""
    if kind == B.EXECUTIVE:
        if organization_kind in (K.GRASSROOTS_CELL, K.CELL):
            return "Chi ủy"
        if organization_kind == K.PARTY_DELEGATION:
            return "Đảng đoàn"
        if organization_kind == K.PARTY_AFFAIRS:
            return "Ban cán sự đảng"
    return BodyKind(kind).label


class OrganizationQuerySet(MP_NodeQuerySet):
    def below(self, organization, *, include_self=False):
        """The organizations under `organization` in the tree (children, grandchildren...), and itself if asked."""
        return self.filter(self.model.below_any([organization.path], include_self=include_self))

    def search(self, query: str):
        return self.filter(name_folded__contains=fold(query))


class OrganizationManager(MP_NodeManager):
    """Treebeard's manager (ordered by path, deletes whole subtrees) with our named querysets."""

    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")

    def below(self, organization, *, include_self=False):
        return self.get_queryset().below(organization, include_self=include_self)

    def search(self, query: str):
        return self.get_queryset().search(query)


class Organization(MP_Node):
    """Tổ chức đảng: one node of the party hierarchy."""

    name = models.CharField("tên", max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True, verbose_name="tên không dấu")
    kind = models.CharField("loại", max_length=32, choices=OrganizationKind.choices)
    code = models.CharField("mã", max_length=32, help_text="Mã ngắn, không trùng giữa các tổ chức cùng cấp trên.")
    symbol = models.CharField(
        "ký hiệu trên văn bản", max_length=16, help_text='Phần sau dấu "/" trong số, ký hiệu: TU, ĐU, CB...'
    )
    # The parent is also in the path; keeping it as a key lets the database enforce
    # unique codes among siblings and lets the API filter children with an index.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children_set",
        editable=False,
        verbose_name="trực thuộc",
    )
    # Who added it and when; empty for the system (the demo, imports) and for what existed before these were kept.
    created_at = models.DateTimeField("thêm lúc", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, verbose_name="người thêm",
    )  # fmt: skip

    objects = OrganizationManager()

    node_order_by = None

    class Meta:
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        constraints = [
            models.UniqueConstraint(fields=["parent", "code"], name="unique_code_among_siblings"),
            models.UniqueConstraint(fields=["code"], condition=Q(parent__isnull=True), name="unique_code_among_roots"),
            models.CheckConstraint(condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name).strip()
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def allowed_body_kinds(self):
        return ALLOWED_BODIES[self.kind]

    @property
    def kind_label(self) -> str:
        """`get_kind_display()` for long lists: that one flattens every choice again at each call."""
        return OrganizationKind(self.kind).label

    def is_below(self, other: "Organization", *, include_self=False) -> bool:
        """Under `other` in the tree (a child, a grandchild...); never a sibling or one above. No query."""
        return self.path_is_below(self.path, other.path, include_self=include_self)

    @staticmethod
    def path_is_below(path: str, ancestor_path: str, *, include_self=False) -> bool:
        """`is_below` on paths alone, for the rules that know an organization only by its path (a seat)."""
        # Every path is a whole number of steps, so a prefix is always an ancestor, never a sibling.
        return path.startswith(ancestor_path) and (include_self or len(path) > len(ancestor_path))

    @classmethod
    def below_any(cls, paths, *, include_self=False) -> Q:
        """A query condition: under any of these paths (on one of them too, if asked); under none of no paths."""
        condition = Q(pk__in=[])
        for path in paths:
            below = Q(path__startswith=path)
            condition |= below if include_self else below & Q(depth__gt=len(path) // cls.steplen)
        return condition

    def ancestor_paths(self) -> list[str]:
        """Paths of this node's ancestors, top first, without a query."""
        step = self.steplen
        return [self.path[:end] for end in range(step, len(self.path), step)]


class OrganizationUserObjectPermission(UserObjectPermissionBase):
    """Explicit grants on one organization, e.g. a working-group member from another body."""

    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "quyền của một người trên tổ chức"
        verbose_name_plural = "quyền của một người trên tổ chức"


class OrganizationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "quyền của một nhóm trên tổ chức"
        verbose_name_plural = "quyền của một nhóm trên tổ chức"


class Body(models.Model):
    """Cơ quan của tổ chức đảng: BCH, BTV, Thường trực, UBKT, Văn phòng."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="bodies", verbose_name="tổ chức đảng"
    )
    kind = models.CharField("loại", max_length=32, choices=BodyKind.choices)
    name = models.CharField("tên", max_length=255)

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["organization", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="one_body_of_each_kind"),
        ]

    def __str__(self):
        return f"{self.name} – {self.organization.name}"


class TermQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on)


class Term(models.Model):
    """Nhiệm kỳ (khóa) of an organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="terms", verbose_name="tổ chức đảng"
    )
    name = models.CharField("tên", max_length=100, help_text="Ví dụ: Nhiệm kỳ 2025 - 2030 (khóa XV)")
    start = models.DateField("bắt đầu")
    end = models.DateField("kết thúc", null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm kỳ"
        verbose_name_plural = "nhiệm kỳ"
        ordering = ["organization", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")), name="term_ends_after_start"
            ),
            models.UniqueConstraint(fields=["organization", "start"], name="one_term_per_start"),
        ]

    def __str__(self):
        return f"{self.name} – {self.organization.name}"

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Role(models.TextChoices):
    SECRETARY = "secretary", "Bí thư"
    DEPUTY_SECRETARY = "deputy_secretary", "Phó Bí thư"
    STANDING_DEPUTY_SECRETARY = "standing_deputy_secretary", "Phó Bí thư Thường trực"
    STANDING_MEMBER = "standing_member", "Ủy viên Ban Thường vụ"
    COMMITTEE_MEMBER = "committee_member", "Cấp ủy viên"
    INSPECTION_CHAIR = "inspection_chair", "Chủ nhiệm Ủy ban Kiểm tra"
    INSPECTION_MEMBER = "inspection_member", "Ủy viên Ủy ban Kiểm tra"
    OFFICE_CHIEF = "office_chief", "Chánh Văn phòng"
    OFFICE_STAFF = "office_staff", "Chuyên viên Văn phòng"


R = Role

# Which roles are held in which body.
ROLES_BY_BODY: dict[str, tuple] = {
    B.EXECUTIVE: (R.SECRETARY, R.DEPUTY_SECRETARY, R.STANDING_DEPUTY_SECRETARY, R.COMMITTEE_MEMBER),
    B.STANDING: (R.SECRETARY, R.DEPUTY_SECRETARY, R.STANDING_DEPUTY_SECRETARY, R.STANDING_MEMBER),
    B.STANDING_OFFICE: (R.SECRETARY, R.DEPUTY_SECRETARY, R.STANDING_DEPUTY_SECRETARY),
    B.INSPECTION: (R.INSPECTION_CHAIR, R.INSPECTION_MEMBER),
    B.OFFICE: (R.OFFICE_CHIEF, R.OFFICE_STAFF),
}


class PositionQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(end__isnull=True) | Q(end__gte=on),
            Q(term__end__isnull=True) | Q(term__end__gte=on),
            start__lte=on,
            term__start__lte=on,
        )


class Position(models.Model):
    """Chức vụ: a person holds a role in a body of an organization for a term."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="positions", verbose_name="người dùng"
    )
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="positions", verbose_name="cơ quan")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="positions", verbose_name="nhiệm kỳ")
    role = models.CharField("chức vụ", max_length=32, choices=Role.choices)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày", null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"
        ordering = ["body", "role", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="position_ends_after_start"
            ),
            models.UniqueConstraint(fields=["user", "body", "term", "role"], name="one_role_per_body_and_term"),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username}: {self.get_role_display()} – {self.body}"
