"""A province on demand: `generate_province` builds one, proportional to N organizations, beside the demo.

At N = 10,000 the shape of a large province (the Cần Thơ city committee, ten times over): the city,
a Đảng ủy Khối holding about half the organizations (đảng bộ cơ sở with their đảng bộ bộ phận and
chi bộ trực thuộc, chi bộ cơ sở), ten quận/huyện ủy with their wards and communes, and đảng đoàn and
ban cán sự đảng under the city, to depth 5; each with a term and its default bodies; about two
people per organization in its bodies; about two regulations per organization in one to three
versions of real texts (demo/texts, the corpus), a 300-article regulation in two versions, model
regulations with the regulations adapted from them; amendments at every stage with their working
group, events, consultation, comments and dispositions; inspections with findings; notifications.

A few objects go through the services, as users' clicks would (the 300-article text, a model and
its open content, an amendment out for consultation, an inspection); the rest is copied from them
in bulk, with the same shape, so that the pages and the services find valid data. Bulk rows carry
no history records (simple_history): their articles have no history to show.
"""

import dataclasses
import datetime
import random
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from demo.organizations import DEMO_PASSWORD, GRASSROOTS_TERM_START, TERM_NAME, TERM_START, person_name
from inspections import services as inspection_services
from inspections.models import (
    Finding,
    FindingAction,
    FindingEvent,
    FindingKind,
    FindingStatus,
    Inspection,
    InspectionKind,
)
from notifications.models import EmailStatus, Notification, NotificationReason
from organizations.models import (
    DEFAULT_SYMBOL,
    Body,
    BodyKind,
    Organization,
    OrganizationKind,
    Position,
    Role,
    Term,
    body_name,
)
from organizations.services import default_bodies
from quyche.text import fold, nfc
from regulations import conformance, parsing
from regulations import services as regulation_services
from regulations.editing import article_body
from regulations.models import (
    DOCUMENT_CODE,
    Provision,
    ProvisionKind,
    Regulation,
    RegulationKind,
    Version,
    VersionStatus,
    normalize_number,
)
from reviews import services as review_services
from reviews.models import (
    Amendment,
    AmendmentStatus,
    ArticleChange,
    Comment,
    ConsultationRequest,
    Disposition,
    DispositionKind,
    Event,
    EventAction,
    Stage,
    WorkingGroupMember,
    WorkingGroupRole,
)

K, B, R = OrganizationKind, BodyKind, Role
User = get_user_model()

PASSWORD = DEMO_PASSWORD  # published in the README, like the demo's: the command refuses to run without DEBUG
PREFIX = "tinh."
CITY_NAME, CITY_CODE = "Thành ủy Tây Đô", "TUTD"
BLOC_NAME = "Đảng ủy Khối các cơ quan thành phố Tây Đô"
# The accounts a benchmark logs in as: (username, description).
ACCOUNTS = {
    "auditor": ("tinh.kiemtra", "ủy viên Ban Thường vụ Thành ủy Tây Đô (giám sát toàn tỉnh)"),
    "office": ("tinh.vanphong.khoi", "chuyên viên Văn phòng Đảng ủy Khối (soạn thảo)"),
    "member": ("tinh.uyvien.khoi", "ủy viên Ban Chấp hành Đảng ủy Khối (được lấy ý kiến)"),
}
TEXTS = [
    Path(__file__).resolve().parent / "texts",
    Path(settings.BASE_DIR) / "tests" / "corpus",
]
LONG_ARTICLES = 300  # the long regulation at N = 10,000; fewer below, never under 20

PLACES = ["Ninh Kiều", "Bình Thủy", "Cái Răng", "Ô Môn", "Thốt Nốt", "Phong Điền", "Cờ Đỏ", "Vĩnh Thạnh",
          "Thới Lai", "Vị Thanh", "Ngã Bảy", "Long Mỹ", "Châu Thành", "Phụng Hiệp", "Sóc Trăng", "Mỹ Xuyên",
          "Ngã Năm", "Kế Sách", "Trần Đề", "Vĩnh Châu"]  # fmt: skip
DEPARTMENTS = ["Sở Tư pháp", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ",
               "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ", "Sở Ngoại vụ",
               "Sở Văn hóa, Thể thao và Du lịch", "Thanh tra thành phố", "Văn phòng Ủy ban nhân dân thành phố",
               "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân", "Ban Dân tộc và Tôn giáo",
               "Trường Đại học Cần Thơ", "Trường Đại học Y Dược", "Bệnh viện Đa khoa Trung ương",
               "Bệnh viện Nhi đồng", "Bệnh viện Ung bướu", "Bệnh viện Tim mạch", "Bệnh viện Mắt - Răng Hàm Mặt",
               "Bảo hiểm xã hội thành phố", "Thuế thành phố", "Kho bạc Nhà nước khu vực XX"]  # fmt: skip
LOCAL_UNITS = ["Trung tâm Y tế khu vực", "Bệnh viện Đa khoa khu vực", "Trường Trung học phổ thông",
               "Trường Cao đẳng nghề", "Chi cục Thuế khu vực", "Bảo hiểm xã hội khu vực",
               "Ban Quản lý dự án đầu tư xây dựng khu vực", "Trung tâm Dịch vụ việc làm",
               "Trung tâm Phát triển quỹ đất", "Chi cục Thống kê"]  # fmt: skip
CELL_UNITS = ["Báo Cần Thơ", "Đài Phát thanh và Truyền hình", "Hội Nông dân", "Hội Liên hiệp Phụ nữ",
              "Thành đoàn", "Liên đoàn Lao động", "Hội Cựu chiến binh", "Thư viện", "Bảo tàng",
              "Nhà Văn hóa Lao động", "Trường Trung học cơ sở", "Trường Tiểu học", "Trạm Y tế",
              "Trung tâm Văn hóa - Thể thao", "Ban Quản lý chợ", "Trung tâm Khuyến nông", "Hạt Kiểm lâm",
              "Trung tâm Trợ giúp pháp lý", "Phòng Công chứng", "Trung tâm Bảo trợ xã hội"]  # fmt: skip
SUB_UNITS = ["Khối Lâm sàng", "Khối Cận lâm sàng", "Khối Hành chính", "Khoa Kinh tế", "Khoa Sư phạm",
             "Khoa Nông nghiệp", "Khoa Công nghệ", "Phòng Nghiệp vụ", "Văn phòng", "Khối Chuyên môn"]  # fmt: skip
CELLS = ["Phòng Hành chính - Tổng hợp", "Phòng Kế hoạch - Tài chính", "Phòng Tổ chức cán bộ", "Khoa Nội",
         "Khoa Ngoại", "Khoa Sản", "Khoa Nhi", "Khoa Dược", "Phòng Điều dưỡng", "Bộ môn Toán", "Bộ môn Văn",
         "Phòng Thanh tra", "Phòng Pháp chế", "Phòng Quản lý chất lượng", "Tổ Bảo vệ", "Phòng Đào tạo"]  # fmt: skip
DISTRICTS = ["Quận ủy Ninh Kiều", "Quận ủy Bình Thủy", "Quận ủy Cái Răng", "Quận ủy Ô Môn", "Quận ủy Thốt Nốt",
             "Huyện ủy Phong Điền", "Huyện ủy Cờ Đỏ", "Huyện ủy Vĩnh Thạnh", "Huyện ủy Thới Lai",
             "Huyện ủy Châu Thành", "Huyện ủy Phụng Hiệp", "Huyện ủy Long Mỹ"]  # fmt: skip
WARD_UNITS = ["phường", "xã", "thị trấn"]
HAMLETS = ["Chi bộ khu vực", "Chi bộ ấp", "Chi bộ trường học", "Chi bộ trạm y tế", "Chi bộ công an", "Chi bộ quân sự"]
DELEGATIONS = [(K.PARTY_DELEGATION, "Đảng đoàn Hội đồng nhân dân thành phố"),
               (K.PARTY_AFFAIRS, "Ban cán sự đảng Ủy ban nhân dân thành phố"),
               (K.PARTY_DELEGATION, "Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"),
               (K.PARTY_AFFAIRS, "Ban cán sự đảng Tòa án nhân dân thành phố"),
               (K.PARTY_AFFAIRS, "Ban cán sự đảng Viện Kiểm sát nhân dân thành phố"),
               (K.PARTY_DELEGATION, "Đảng đoàn Liên đoàn Lao động thành phố"),
               (K.PARTY_DELEGATION, "Đảng đoàn Hội Nông dân thành phố"),
               (K.PARTY_DELEGATION, "Đảng đoàn Hội Liên hiệp Phụ nữ thành phố")]  # fmt: skip


# The organizations -------------------------------------------------------------------------------


@dataclasses.dataclass
class Spec:
    """An organization to create, with those under it."""

    name: str
    kind: str
    code: str
    children: list["Spec"] = dataclasses.field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def names(units, places):
    """Unique names: each unit on its own, then in each place, then numbered."""
    yield from units
    for place in places:
        for unit in units:
            yield f"{unit} {place}"
    for number in range(2, 10_000):
        for place in places:
            for unit in units:
                yield f"{unit} số {number} {place}"


def grassroots(rng: random.Random, total: int, *, committee_names, cell_names, share=(0.103, 0.082, 0.006)):
    """`total` organizations for a bloc or a district: đảng bộ cơ sở with đảng bộ bộ phận and chi bộ
    trực thuộc, and chi bộ cơ sở; in the shares of the Cần Thơ bloc (54 + 43 TCCSĐ, 3 + 424 below)."""
    committees = max(1, round(total * share[0]))
    cells = max(1, round(total * share[1])) if total > committees + 2 else 0
    subs = max(1, round(total * share[2])) if total >= 20 else 0  # a few large đảng bộ have them
    left = max(0, total - committees - cells - subs)
    specs = [
        Spec(f"Đảng bộ {next(committee_names)}", K.GRASSROOTS_COMMITTEE, f"CS{number:04d}")
        for number in range(1, committees + 1)
    ]
    for number in range(subs):
        committee = specs[number % committees]
        sub = Spec(
            f"Đảng bộ bộ phận {SUB_UNITS[number % len(SUB_UNITS)]}",
            K.SUB_COMMITTEE,
            f"BP{len(committee.children) + 1:02d}",
        )
        committee.children.append(sub)
    # Chi bộ trực thuộc: four under each đảng bộ bộ phận first, the rest spread over the đảng bộ at random.
    homes = [sub for committee in specs for sub in committee.children]
    placed = []
    for index in range(left):
        if index < 4 * len(homes):
            placed.append(homes[index % len(homes)])
        else:
            placed.append(specs[rng.randrange(committees)])
    for home in placed:
        number = len(home.children) + 1
        home.children.append(Spec(f"Chi bộ {CELLS[number % len(CELLS)]} {number}", K.CELL, f"CB{number:03d}"))
    specs += [
        Spec(f"Chi bộ {next(cell_names)}", K.GRASSROOTS_CELL, f"CBCS{number:04d}") for number in range(1, cells + 1)
    ]
    return specs


def province_plan(rng: random.Random, n: int) -> Spec:
    """About n organizations: the city, the bloc with half of them, districts, đảng đoàn and ban cán sự."""
    city = Spec(CITY_NAME, K.PROVINCIAL, CITY_CODE)
    bloc_total = round(n * 0.4979)
    delegations = max(2, min(len(DELEGATIONS), round(n * 0.0008)))
    district_count = max(1, min(len(DISTRICTS), round(n / 1000)))
    bloc = Spec(BLOC_NAME, K.BLOC, "DUK")
    bloc.children = grassroots(
        rng,
        bloc_total - 1,
        committee_names=names(DEPARTMENTS + LOCAL_UNITS, PLACES),
        cell_names=names(CELL_UNITS, PLACES),
    )
    city.children.append(bloc)
    left = n - bloc_total - 1 - delegations - district_count
    for index in range(district_count):
        name = DISTRICTS[index]
        district = Spec(name, K.DISTRICT, f"QH{index + 1:02d}")
        place = name.split(" ", 2)[2]
        wards = (f"{unit} {place} {number}" for number in range(1, 10_000) for unit in WARD_UNITS)
        district.children = grassroots(
            rng,
            left // district_count + (index < left % district_count),
            committee_names=wards,
            cell_names=names([f"Cơ quan {unit}" for unit in ("Mặt trận", "Hội Nông dân", "Phòng Giáo dục")], [place]),
            share=(0.09, 0.06, 0.004),
        )
        for committee in district.children:
            for number, cell in enumerate(committee.children, start=1):
                if cell.kind == K.CELL:
                    cell.name = f"{HAMLETS[number % len(HAMLETS)]} {number}"
        city.children.append(district)
    for index in range(delegations):
        kind, name = DELEGATIONS[index]
        city.children.append(Spec(name, kind, f"DD{index + 1:02d}"))
    return city


def grow(parent: Organization | None, specs: list[Spec]) -> list[Organization]:
    """Create the organizations of `specs` (and all under them) under `parent`, with their default bodies
    and a current term, in one bulk insert per level. Returns them in document order (each before those
    under it)."""
    now = timezone.now()
    if parent is None:
        last = Organization.objects.get_last_root_node()
        first_step = Organization._str2int(last.path) + 1 if last else 1
        base_path, depth = "", 1
    else:
        parent = Organization.objects.get(pk=parent.pk)
        first_step = parent.numchild + 1
        base_path, depth = parent.path, parent.depth + 1
        Organization.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(specs))
    built = {}  # id(spec) -> organization
    level = [(spec, parent, base_path, first_step + index) for index, spec in enumerate(specs)]
    while level:
        rows = []
        for spec, above, path, step in level:
            key = Organization._int2str(step)
            row = Organization(
                name=nfc(spec.name),
                name_folded=fold(spec.name),
                kind=spec.kind,
                code=spec.code,
                symbol=DEFAULT_SYMBOL[spec.kind],
                parent=above,
                created_at=now,
                path=f"{path}{'0' * (Organization.steplen - len(key))}{key}",
                depth=depth,
                numchild=len(spec.children),
            )
            built[id(spec)] = row
            rows.append(row)
        Organization.objects.bulk_create(rows, batch_size=1000)  # no auto dates: created_at is given
        level = [
            (child, built[id(spec)], built[id(spec)].path, index)
            for spec, _, _, _ in level
            for index, child in enumerate(spec.children, start=1)
        ]
        depth += 1
    organizations = [built[id(node)] for spec in specs for node in spec.walk()]
    Body.objects.bulk_create(
        (
            Body(organization=organization, kind=kind, name=body_name(kind, organization.kind))
            for organization in organizations
            for kind in default_bodies(organization.kind)
        ),
        batch_size=2000,
    )
    Term.objects.bulk_create((term_for(organization) for organization in organizations), batch_size=2000)
    return organizations


def term_for(organization: Organization) -> Term:
    start = TERM_START.get(organization.kind, GRASSROOTS_TERM_START)
    end = start.replace(year=start.year + 5) - datetime.timedelta(days=1)
    return Term(organization=organization, name=TERM_NAME, start=start, end=end)


# Texts ------------------------------------------------------------------------------------------


class Node:
    """One provision of a generated text. Copies share the template's words and keep their key."""

    __slots__ = ("kind", "label", "heading", "text", "folded", "key", "open", "children")

    def __init__(self, kind, label, heading, text, folded=None, key=None, open=False, children=()):
        self.kind, self.label, self.heading, self.text = kind, label, heading, text
        self.folded = folded if folded is not None else fold(f"{heading} {text}")
        self.key, self.open, self.children = key, open, list(children)

    @classmethod
    def parsed(cls, node) -> "Node":
        label, heading, text = nfc(node.label).strip(), nfc(node.heading).strip(), nfc(node.text)
        return cls(node.kind, label, heading, text, children=[cls.parsed(child) for child in node.children])

    def copy(self, *, fresh=False) -> "Node":
        """The same words; the same key, or a new one for a new text."""
        return Node(
            self.kind,
            self.label,
            self.heading,
            self.text,
            self.folded,
            None if fresh else self.key,
            self.open,
            [child.copy(fresh=fresh) for child in self.children],
        )

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def parsed_node(self):
        """Back to the parser's form, keeping the key (services.provisions_create keeps it)."""
        node = parsing.ParsedProvision(self.kind, self.label, self.heading, self.text, 0)
        node.children = [child.parsed_node() for child in self.children]
        node.key = self.key
        return node


@dataclasses.dataclass
class Template:
    name: str
    document: object  # the ParsedDocument: letterhead, bases, signature
    chapters: list[Node]


def templates() -> dict[str, Template]:
    """The real texts a generated regulation is copied from, by their file's name."""
    found = {}
    for folder in TEXTS:
        for path in sorted(folder.glob("*.txt")):
            document = parsing.parse_regulation(path.read_text(encoding="utf-8"))
            chapters = [Node.parsed(node) for node in document.provisions if node.kind == ProvisionKind.CHAPTER]
            if len(chapters) >= 3:  # the amending decree and its OCR copy have no chapters: not a regulation
                found[path.stem] = Template(path.stem, document, chapters)
    return found


# Which texts each kind of regulation is copied from.
TEMPLATE_NAMES = {
    RegulationKind.COMMITTEE_RULES: ["qclv-khoi-2025", "qclv-khoi-2026", "qclv-stp-2025"],
    RegulationKind.INSPECTION_RULES: ["qclv-ubkt-khoi-2025"],
    RegulationKind.COORDINATION: ["quy-che-phoi-hop-hdnd-ubnd"],
    RegulationKind.MODEL: ["quy-che-mau-dang-bo-co-so"],
    RegulationKind.INSPECTION_PROGRAM: ["191-2026-ND-CP_QCLV-ChinhPhu", "qclv-ubkt-khoi-2025"],
    RegulationKind.OTHER: ["01-QD-DU-2025_QuyDinh-VanPhong-DangUy-xa-CongHai"],
}
ADDED_WORDS = [
    " Định kỳ sáu tháng báo cáo kết quả thực hiện với cấp ủy cấp trên.",
    " Ứng dụng công nghệ thông tin, chuyển đổi số trong xử lý công việc.",
    " Bảo đảm rõ người, rõ việc, rõ tiến độ, rõ trách nhiệm, rõ hiệu quả.",
    " Tài liệu hội nghị gửi trước ít nhất 05 ngày làm việc.",
]


def relabel(chapters: list[Node]) -> list[Node]:
    """Number the chapters and the articles through the whole text, as the party's texts do."""
    article = 0
    for number, chapter in enumerate(chapters, start=1):
        chapter.label = roman(number)
        for node in chapter.children:
            if node.kind == ProvisionKind.ARTICLE:
                article += 1
                node.label = str(article)
    return chapters


def roman(number: int) -> str:
    out = ""
    for value, letters in ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def first_text(rng: random.Random, template: Template) -> list[Node]:
    """The template's text from its beginning, cut after an article once it has 10 to 44 provisions
    (30 on average, as a grassroots regulation has), as a text of its own (new keys)."""
    target, size, text = rng.randint(10, 44), 0, []
    for chapter in template.chapters:
        copy = chapter.copy(fresh=True)
        copy.children, size = [], size + 1
        text.append(copy)
        for node in chapter.children:
            copy.children.append(node.copy(fresh=True))
            size += sum(1 for _ in node.walk())
            if size >= target:
                return relabel(text)
    return relabel(text)


def revised(rng: random.Random, chapters: list[Node], spare: list[Node]) -> tuple[list[Node], list[Node]]:
    """The next version: words added to a clause or two, maybe an article added; the same keys.
    Returns the text and the articles that changed."""
    text = [chapter.copy() for chapter in chapters]
    articles = [node for chapter in text for node in chapter.children if node.kind == ProvisionKind.ARTICLE]
    changed = rng.sample(articles, min(len(articles), rng.randint(1, 2)))
    for article in changed:
        target = article.children[-1] if article.children else article
        target.text = nfc(target.text + rng.choice(ADDED_WORDS))
        target.folded = fold(f"{target.heading} {target.text}")
    if rng.random() < 0.4 and spare:
        added = rng.choice(spare).copy(fresh=True)
        text[-1].children.append(added)
        changed.append(added)
    return relabel(text), changed


def keyed(chapters: list[Node]) -> list[Node]:
    for chapter in chapters:
        for node in chapter.walk():
            if node.key is None:
                node.key = uuid.uuid4()
    return chapters


class Ids:
    """Primary keys handed out before the insert, so a text's rows point at each other in one pass.

    Only within `reserving()`: the services, between, take theirs from the database's sequences."""

    def __init__(self, *models_):
        self.next = dict.fromkeys(models_, None)

    @contextmanager
    def reserving(self):
        for model in self.next:
            self.next[model] = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        yield self
        self.reset_sequences()

    def __call__(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value

    def reset_sequences(self):
        """PostgreSQL's sequences past the keys given here (SQLite follows the largest key by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# A provision's columns, in the order provision_rows gives them.
PROVISION_COLUMNS = [
    "id", "version_id", "parent_id", "article_id", "key", "kind", "label", "heading", "text", "text_folded",
    "position", "depth", "revision", "open_content",
]  # fmt: skip


def provision_rows(ids: Ids, version_id: int, chapters: list[Node]) -> list[tuple]:
    """A text's rows as tuples of PROVISION_COLUMNS: hundreds of thousands of them, so no model instances."""
    key_field = Provision._meta.get_field("key")
    rows, position = [], 0

    def add(node, parent, article, depth):
        nonlocal position
        pk = ids(Provision)
        if node.kind == ProvisionKind.ARTICLE:
            article = pk
        key = key_field.get_db_prep_value(node.key, connection)
        rows.append(
            (pk, version_id, parent, article, key, node.kind, node.label, node.heading, node.text, node.folded,
             position, depth, 0, node.open)
        )  # fmt: skip
        position += 1
        for child in node.children:
            add(child, pk, article, depth + 1)

    for chapter in chapters:
        add(chapter, None, None, 0)
    return rows


def insert_provisions(rows: list[tuple]) -> None:
    """The rows of provision_rows, inserted as they are (Django's bulk_create spends most of its time
    building model instances and SQL for them)."""
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Provision._meta.db_table)} ({', '.join(quote(c) for c in PROVISION_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(PROVISION_COLUMNS))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def bulk(model, rows, batch_size):
    """Insert the rows keeping the dates given them: the generated history spans months, not one instant
    (auto_now and auto_now_add would stamp every row with this moment)."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        return model.objects.bulk_create(rows, batch_size=batch_size)
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


# The province -----------------------------------------------------------------------------------


class Province:
    """Builds one province of about n organizations, counting what it made."""

    def __init__(self, n: int, seed: int):
        self.n, self.rng = n, random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.password = make_password(PASSWORD)  # hashing is slow on purpose: once for everyone
        self.templates = templates()
        self.ids = Ids(Regulation, Version, Provision)
        self.timings = {}  # seconds per phase
        self.spare_articles = [
            node
            for template in self.templates.values()
            for chapter in template.chapters
            for node in chapter.children
            if node.kind == ProvisionKind.ARTICLE
        ]

    def moment(self, days_ago: float) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days_ago)

    @transaction.atomic
    def build(self) -> dict:
        if Organization.objects.filter(parent=None, code=CITY_CODE).exists():
            raise ValueError(f"{CITY_NAME} ({CITY_CODE}) đã có trong cơ sở dữ liệu: mỗi cơ sở dữ liệu một tỉnh mẫu.")
        self.organizations = grow(None, [province_plan(self.rng, self.n)])
        self.city, self.bloc = self.organizations[0], self.organizations[1]
        self.by_path = {organization.path: organization for organization in self.organizations}
        # Numbers the texts imported through the services have taken: (issuer, year, code) -> the last.
        self.numbers = defaultdict(
            int, {(self.city.pk, 2025, "QC"): 5, (self.city.pk, 2026, "QC"): 12, (self.bloc.pk, 2025, "QC"): 3}
        )
        for phase in (
            self.people,
            self.long_regulation,
            self.regulations,
            self.amendments,
            self.inspections,
            self.notifications,
        ):
            start = time.monotonic()
            phase()
            self.timings[phase.__name__] = round(time.monotonic() - start, 1)
        return {key: username for key, (username, _) in ACCOUNTS.items()}

    # People ---------------------------------------------------------------------------------

    def people(self):
        """A secretary and an office staffer (or deputy) for each organization; the committees' members."""
        organizations = self.organizations
        bodies = defaultdict(dict)
        mine = {"organization__path__startswith": self.city.path}
        for body in Body.objects.filter(**mine):
            bodies[body.organization_id][body.kind] = body
        terms = {term.organization_id: term for term in Term.objects.filter(**mine)}
        users, seats = [], []

        def person(username, organization, *roles):
            last_name, first_name = person_name(len(users) + 7)
            user = User(
                username=username,
                last_name=last_name,
                first_name=first_name,
                name_folded=fold(f"{last_name} {first_name}"),  # bulk_create: no save() to fold it
                email=f"{username}@quyche.local",
                password=self.password,
                email_mode=self.rng.choice(["immediate", "digest", "digest", "none"]),
            )
            users.append(user)
            for body_kind, role in roles:
                seats.append((user, bodies[organization.pk][body_kind], terms[organization.pk], role))
            return user

        self.secretary, self.office, self.members = {}, {}, defaultdict(list)
        for index, organization in enumerate(organizations, start=1):
            has = bodies[organization.pk]
            prefix = f"{PREFIX}{index:05d}"
            leading = [(kind, R.SECRETARY) for kind in (B.EXECUTIVE, B.STANDING, B.STANDING_OFFICE) if kind in has]
            self.secretary[organization.pk] = person(f"{prefix}.bithu", organization, *leading)
            if B.OFFICE in has:
                self.office[organization.pk] = person(f"{prefix}.vanphong", organization, (B.OFFICE, R.OFFICE_STAFF))
            else:
                self.members[organization.pk].append(
                    person(f"{prefix}.phobithu", organization, (B.EXECUTIVE, R.DEPUTY_SECRETARY))
                )
            if B.STANDING in has:
                for number in range(1, 6):
                    roles = [(B.EXECUTIVE, R.COMMITTEE_MEMBER)] + ([(B.STANDING, R.STANDING_MEMBER)] * (number <= 2))
                    self.members[organization.pk].append(person(f"{prefix}.uyvien{number}", organization, *roles))
                person(f"{prefix}.kiemtra", organization, (B.INSPECTION, R.INSPECTION_CHAIR))
        city, bloc = self.city, self.bloc
        self.auditor = person(
            ACCOUNTS["auditor"][0], city, (B.EXECUTIVE, R.COMMITTEE_MEMBER), (B.STANDING, R.STANDING_MEMBER)
        )
        self.office_user = person(ACCOUNTS["office"][0], bloc, (B.OFFICE, R.OFFICE_STAFF))
        self.member = person(ACCOUNTS["member"][0], bloc, (B.EXECUTIVE, R.COMMITTEE_MEMBER))
        self.members[bloc.pk].append(self.member)
        User.objects.bulk_create(users, batch_size=2000)
        Position.objects.bulk_create(
            (
                Position(user=user, body=body, term=term, role=role, start=term.start, end=term.end)
                for user, body, term, role in seats
            ),
            batch_size=2000,
        )
        self.users = users
        self.terms = terms

    def organization_people(self, organization) -> list:
        """Who in an organization may be asked for an opinion: its secretary and members."""
        return [self.secretary[organization.pk], *self.members[organization.pk]]

    def drafter(self, organization):
        """Who drafts for an organization: its office, else its secretary (a chi bộ's chi ủy)."""
        return self.office.get(organization.pk) or self.secretary[organization.pk]

    # The texts that go through the services ------------------------------------------------------

    def document(self, template: str, chapters: list[Node], *, organization, number, issued, title) -> str:
        frame = self.templates[template].document
        document = dataclasses.replace(
            frame,
            superior_body=(organization.parent.name if organization.parent else "BAN CHẤP HÀNH TRUNG ƯƠNG").upper(),
            issuing_body=organization.name.upper(),
            number=number,
            place="Tây Đô",
            issued=issued,
            title=title,
            provisions=[chapter.parsed_node() for chapter in chapters],
            issuing_provisions=[],
            attachment_heading="",
        )
        return parsing.render_text(document)

    def long_regulation(self):
        """The city's working regulation of many articles, in two versions: the first imported through the
        service, the second with articles inserted, removed, moved and reworded, keeping each article's key."""
        articles = max(20, min(LONG_ARTICLES, round(LONG_ARTICLES * self.n / 10_000)))
        demo_texts = [t for name, t in self.templates.items() if (TEXTS[0] / f"{name}.txt").exists()]
        articles_of = [n for t in demo_texts for c in t.chapters for n in c.children if n.kind == ProvisionKind.ARTICLE]
        pool = self.rng.sample(articles_of, min(len(articles_of), 60))
        chapters = []
        for number in range(articles):
            if number % 10 == 0:
                chapters.append(Node(ProvisionKind.CHAPTER, "", f"NHÓM NHIỆM VỤ {number // 10 + 1}", ""))
            chapters[-1].children.append(pool[number % len(pool)].copy(fresh=True))
            chapters[-1].children[-1].heading = f"{chapters[-1].children[-1].heading} (mục {number + 1})"
        relabel(chapters)
        title = "của Ban Chấp hành Đảng bộ thành phố Tây Đô khóa XV, nhiệm kỳ 2025 - 2030"
        first = regulation_services.regulation_import(
            text=self.document(
                "qclv-khoi-2025",
                chapters,
                organization=self.city,
                number="05-QC/TU",
                issued=datetime.date(2025, 11, 20),
                title=title,
            ),
            user=None,
            organization=self.city,
            kind=RegulationKind.COMMITTEE_RULES,
        ).version
        stored = list(Provision.objects.filter(version=first).order_by("position").values_list("key", flat=True))
        nodes = [node for chapter in chapters for node in chapter.walk()]
        assert len(stored) == len(nodes), "the rendered text reads back as another tree"
        for node, key in zip(nodes, stored, strict=True):
            node.key = key
        second = [chapter.copy() for chapter in chapters]
        everything = [(chapter, node) for chapter in second for node in chapter.children]
        rng = self.rng
        for chapter, node in rng.sample(everything, max(2, articles // 40)):  # removed
            chapter.children.remove(node)
        for _ in range(max(2, articles // 60)):  # moved to another chapter
            source, target = rng.sample(second, 2)
            if source.children:
                node = source.children.pop(rng.randrange(len(source.children)))
                target.children.insert(rng.randrange(len(target.children) + 1), node)
        for chapter in rng.sample(second, max(2, len(second) // 2)):  # inserted
            chapter.children.insert(rng.randrange(len(chapter.children) + 1), rng.choice(pool).copy(fresh=True))
        for chapter in second:
            for node in chapter.children:
                if rng.random() < 0.07 and node.children:  # reworded
                    node.children[0].text = nfc(node.children[0].text + rng.choice(ADDED_WORDS))
        relabel(second)
        keyed(second)
        text = self.document(
            "qclv-khoi-2025",
            second,
            organization=self.city,
            number="12-QC/TU",
            issued=datetime.date(2026, 9, 15),
            title=title,
        )
        self.long = import_keyed(text=text, regulation=first.regulation, chapters=second)
        self.long_first = first

    # Regulations in bulk ---------------------------------------------------------------------------

    def regulations(self):
        """About two regulations per organization, in one to three versions; the models, and the
        regulations adapted from them."""
        rng = self.rng
        models_by_issuer = self.models()
        kinds_of = {
            K.PROVINCIAL: [
                (RegulationKind.INSPECTION_RULES, 1),
                (RegulationKind.INSPECTION_PROGRAM, 1),
                (RegulationKind.COORDINATION, 1),
                (RegulationKind.OTHER, 1),
            ],
            K.DISTRICT: [
                (RegulationKind.COMMITTEE_RULES, 1),
                (RegulationKind.INSPECTION_RULES, 1),
                (RegulationKind.INSPECTION_PROGRAM, 1),
                (RegulationKind.OTHER, 1),
            ],
            K.BLOC: [
                (RegulationKind.COMMITTEE_RULES, 1),
                (RegulationKind.INSPECTION_RULES, 1),
                (RegulationKind.INSPECTION_PROGRAM, 1),
                (RegulationKind.OTHER, 1),
            ],
            K.GRASSROOTS_COMMITTEE: [
                (RegulationKind.COMMITTEE_RULES, 0.95),
                (RegulationKind.INSPECTION_RULES, 0.6),
                (RegulationKind.INSPECTION_PROGRAM, 0.3),
                (RegulationKind.COORDINATION, 0.1),
            ],
            K.GRASSROOTS_CELL: [
                (RegulationKind.COMMITTEE_RULES, 0.9),
                (RegulationKind.INSPECTION_PROGRAM, 0.6),
                (RegulationKind.OTHER, 0.45),
            ],
            K.SUB_COMMITTEE: [
                (RegulationKind.COMMITTEE_RULES, 0.9),
                (RegulationKind.INSPECTION_PROGRAM, 0.6),
                (RegulationKind.OTHER, 0.45),
            ],
            K.CELL: [
                (RegulationKind.COMMITTEE_RULES, 0.9),
                (RegulationKind.INSPECTION_PROGRAM, 0.6),
                (RegulationKind.OTHER, 0.45),
            ],
            K.PARTY_DELEGATION: [(RegulationKind.COMMITTEE_RULES, 1), (RegulationKind.COORDINATION, 1)],
            K.PARTY_AFFAIRS: [(RegulationKind.COMMITTEE_RULES, 1), (RegulationKind.COORDINATION, 0.5)],
        }
        # regulation id -> [(version id, chapters, changed articles)] of the working regulations, for the
        # amendments and the findings to point at their articles
        self.texts = {}
        self.regulation_rows = []
        chunk = []
        with self.ids.reserving():
            for organization in self.organizations:
                for kind, share in kinds_of[organization.kind]:
                    if rng.random() >= share:
                        continue
                    chunk.append(self.regulation(organization, kind, models_by_issuer))
                    if len(chunk) >= 500:
                        self.flush(chunk)
                        chunk = []
            self.flush(chunk)

    def models(self) -> dict[int, list]:
        """The bloc's model through the services (its open content marked by its office); the city's and
        each district's in bulk. Returns, per issuer, its models with their texts."""
        template = self.templates["quy-che-mau-dang-bo-co-so"]
        office = User.objects.get(username=ACCOUNTS["office"][0])
        chapters = relabel([chapter.copy(fresh=True) for chapter in template.chapters])
        text = self.document(
            "quy-che-mau-dang-bo-co-so",
            chapters,
            organization=self.bloc,
            number="03-QC/ĐUK",
            issued=datetime.date(2025, 9, 30),
            title=template.document.title,
        )
        model = regulation_services.regulation_import(
            text=text, user=None, organization=self.bloc, kind=RegulationKind.MODEL
        ).version
        stored = list(Provision.objects.filter(version=model).order_by("position"))
        nodes = [node for chapter in chapters for node in chapter.walk()]
        for node, row in zip(nodes, stored, strict=True):
            node.key = row.key
        for node, row in zip(nodes, stored, strict=True):
            if row.kind == ProvisionKind.ARTICLE and row.label in ("3", "10"):
                conformance.open_content_set(provision=row, user=office, value=True)
                for inner in node.walk():
                    inner.open = True
        found = {self.bloc.pk: (model.regulation, chapters)}
        issuers = [o for o in self.organizations if o.kind in (K.PROVINCIAL, K.DISTRICT)]
        with self.ids.reserving():
            self.model_rows(issuers, template, found)
        self.model_count = len(issuers) + 1
        return found

    def model_rows(self, issuers, template, found):
        rng, ids = self.rng, self.ids
        regulations, versions, provisions = [], [], []
        for issuer in issuers:
            copy = relabel([chapter.copy(fresh=True) for chapter in template.chapters])
            for chapter in copy:
                for node in chapter.children:
                    if node.kind == ProvisionKind.ARTICLE and rng.random() < 0.15:
                        for inner in node.walk():
                            inner.open = True
            keyed(copy)
            regulation, version = self.rows(
                issuer,
                RegulationKind.MODEL,
                [(copy, datetime.date(2025, 10, 20))],
                title="Quy chế làm việc mẫu của đảng bộ cơ sở",
            )
            regulations.append(regulation)
            versions += version
            provisions += provision_rows(ids, version[0].pk, copy)
            found[issuer.pk] = (regulation, copy)
        self.insert(regulations, versions, provisions)

    def regulation(self, organization, kind, models_by_issuer):
        """One regulation's rows: the regulation, its versions (oldest first) and their provisions."""
        rng = self.rng
        model = None
        if kind == RegulationKind.COMMITTEE_RULES and organization.kind in (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL):
            issuers = (self.by_path[path].pk for path in reversed(organization.ancestor_paths()))
            model = next((models_by_issuer[pk] for pk in issuers if pk in models_by_issuer), None)
            model = model if model and rng.random() < 0.55 else None
        if model is not None:
            regulation_model, model_text = model
            text = [chapter.copy(fresh=True) for chapter in model_text]
            for node in (node for chapter in text for node in chapter.walk()):
                if node.open and node.kind == ProvisionKind.CLAUSE:
                    node.text = nfc(f"{node.text} Áp dụng tại {organization.name}.")
                    node.folded = fold(f"{node.heading} {node.text}")
                node.open = False
        else:
            regulation_model = None
            template = self.templates[rng.choice(TEMPLATE_NAMES[kind])]
            text = first_text(rng, template)
        keyed(text)
        count = rng.choices([1, 2, 3], weights=[45, 38, 17])[0]
        # The newest in force within the term for most, from the term before for some (overdue for review).
        newest = self.today - datetime.timedelta(days=rng.randint(20, 420 if rng.random() < 0.8 else 1100))
        texts, changes = [], []
        for index in range(count):
            issued = newest - datetime.timedelta(days=(count - 1 - index) * rng.randint(200, 500))
            if index:
                text, changed = revised(rng, text, self.spare_articles)
                keyed(text)
                changes.append(changed)
            else:
                changes.append([])
            texts.append((text, issued))
        regulation, versions = self.rows(organization, kind, texts, based_on=regulation_model)
        provisions = [
            row
            for version, (text, _) in zip(versions, texts, strict=True)
            for row in provision_rows(self.ids, version.pk, text)
        ]
        if kind in (RegulationKind.COMMITTEE_RULES, RegulationKind.INSPECTION_RULES):
            self.texts[regulation.pk] = [
                (version.pk, text, changed)
                for version, (text, _), changed in list(zip(versions, texts, changes, strict=True))[-2:]
            ]
        self.regulation_rows.append(regulation)
        return regulation, versions, provisions

    def rows(self, organization, kind, texts, *, based_on=None, title=None):
        """A regulation and its versions, chained (each replaces the one before, the last in force)."""
        ids, template = self.ids, self.templates[TEMPLATE_NAMES[kind][0]].document
        term = self.terms[organization.pk]
        title = title or f"{RegulationKind(kind).label} {organization.name}"
        regulation = Regulation(
            id=ids(Regulation),
            organization=organization,
            kind=kind,
            title=nfc(title),
            title_folded=fold(title),
            term=term,
            based_on=based_on,
            created_at=self.moment((self.today - texts[0][1]).days),
            created_by=None,
        )
        versions, previous = [], None
        for index, (_, issued) in enumerate(texts):
            code = DOCUMENT_CODE[kind]
            self.numbers[organization.pk, issued.year, code] += 1
            last = index == len(texts) - 1
            version = Version(
                id=ids(Version),
                regulation=regulation,
                status=VersionStatus.IN_FORCE if last else VersionStatus.REPLACED,
                number=f"{self.numbers[organization.pk, issued.year, code]:02d}-{code}/{organization.symbol}",
                issued=issued,
                issued_year=issued.year,
                effective=issued,
                issuing_organization=organization,
                kind=kind,
                term=term if term.covers(issued) else None,
                replaces=previous,
                superior_body=(organization.parent.name if organization.parent_id else "").upper()[:255],
                issuing_body=organization.name.upper()[:255],
                place="Tây Đô",
                kind_line=template.kind_line,
                title=template.title,
                legal_bases=template.legal_bases,
                enacting=template.enacting,
                signer_authority=template.signer_authority,
                signer_position=template.signer_position,
                signer_name=template.signer_name,
                recipients=template.recipients,
                created_at=self.moment((self.today - issued).days),
            )
            versions.append(version)
            previous = version
        regulation.current_version = versions[-1]
        regulation.next_review_on = regulation_services.add_months(texts[-1][1], regulation.review_interval_months)
        return regulation, versions

    def flush(self, chunk):
        self.insert(
            [regulation for regulation, _, _ in chunk],
            [version for _, versions, _ in chunk for version in versions],
            [row for _, _, rows in chunk for row in rows],
        )

    @staticmethod
    def insert(regulations, versions, provisions):
        # Each row points at others of the same batch (a regulation at its current version, a provision
        # at its parent): the foreign keys are checked at the commit.
        bulk(Regulation, regulations, 1000)
        bulk(Version, versions, 1000)
        insert_provisions(provisions)

    # Amendments ------------------------------------------------------------------------------------

    def amendments(self):
        """About one for every five organizations: one through the services (the bloc's working
        regulation, out for consultation); the others in bulk at every stage, with what each stage leaves."""
        self.representative_amendment()
        rng = self.rng
        stages = defaultdict(list)
        for stage in Stage.objects.order_by("order"):
            stages[stage.organization_kind].append(stage)
        organizations = {organization.pk: organization for organization in self.organizations}
        children = defaultdict(list)
        for organization in self.organizations:
            if organization.parent_id:
                children[organization.parent_id].append(organization)
        busy = set(Amendment.objects.values_list("regulation_id", flat=True))
        candidates = [
            regulation
            for regulation in self.regulation_rows
            if regulation.pk not in busy
            and regulation.kind in (RegulationKind.COMMITTEE_RULES, RegulationKind.INSPECTION_RULES)
        ]
        consulted = {kind for kind, process in stages.items() if any(stage.is_consultation for stage in process)}
        consulting = [r for r in candidates if organizations[r.organization_id].kind in consulted]
        others = [r for r in candidates if organizations[r.organization_id].kind not in consulted]
        target = max(5, round(self.n * 0.2))
        chosen = rng.sample(consulting, min(len(consulting), round(target * 0.75)))
        chosen += rng.sample(others, min(len(others), target - len(chosen)))
        plan = []
        for regulation in chosen:
            organization = organizations[regulation.organization_id]
            process = stages[organization.kind]
            versions = self.texts[regulation.pk]
            roll = rng.random()
            if roll < 0.15 and len(versions) > 1:
                status, stage = AmendmentStatus.ISSUED, process[-1]
            elif roll < 0.22:
                status, stage = AmendmentStatus.WITHDRAWN, rng.choice(process)
            elif roll < 0.27:
                status, stage = AmendmentStatus.REJECTED, process[-1]
            elif roll < 0.32:
                status, stage = AmendmentStatus.ADOPTED, process[-1]
            else:
                status, stage = AmendmentStatus.IN_PROGRESS, rng.choice(process)
            plan.append((regulation, organization, process, stage, status))
        self.bulk_amendments(plan, children)

    def representative_amendment(self):
        """The bloc's working regulation, drafted, approved for consultation and out for opinions."""
        regulation = Regulation.objects.get(organization=self.bloc, kind=RegulationKind.COMMITTEE_RULES)
        office = User.objects.get(username=ACCOUNTS["office"][0])
        secretary = User.objects.get(pk=self.secretary[self.bloc.pk].pk)
        amendment = review_services.amendment_start(
            regulation=regulation, user=office, reason="Rà soát theo Kết luận của Ban Thường vụ Thành ủy."
        )
        article = Provision.objects.filter(version=amendment.draft, kind=ProvisionKind.ARTICLE).order_by("position")[1]
        review_services.draft_article_update(
            amendment=amendment,
            user=office,
            key=article.key,
            heading=article.heading,
            body=article_body(article=article) + "\n" + ADDED_WORDS[1].strip(),
            reason="Đáp ứng yêu cầu chuyển đổi số.",
            expected_revision=article.revision,
        )
        for user, action in ((office, "submit"), (secretary, "approve")):
            amendment = Amendment.objects.select_related("stage", "regulation__organization").get(pk=amendment.pk)
            review_services.amendment_transition(
                amendment=amendment, user=user, action=action, expected_stage_id=amendment.stage_id
            )
        member = User.objects.get(username=ACCOUNTS["member"][0])
        amendment = Amendment.objects.select_related("stage", "regulation__organization").get(pk=amendment.pk)
        review_services.requests_create(
            amendment=amendment,
            user=office,
            due=self.today + datetime.timedelta(days=5),
            users=[member, *User.objects.filter(pk__in=[u.pk for u in self.members[self.bloc.pk][:3]])],
            organizations=list(Organization.objects.filter(parent=self.bloc).order_by("path")[:4]),
        )
        review_services.comment_add(
            amendment=amendment, user=member, text="Đề nghị quy định rõ thời hạn gửi tài liệu.", article_key=article.key
        )

    def bulk_amendments(self, plan, children):
        with self.ids.reserving():
            self.amendment_rows(plan, children)

    def amendment_rows(self, plan, children):
        rng, ids = self.rng, self.ids
        amendments, versions, provisions, later = [], [], [], []
        for regulation, organization, process, stage, status in plan:
            texts = self.texts[regulation.pk]
            office = self.drafter(organization)
            started = rng.uniform(15, 200)
            if status == AmendmentStatus.ISSUED:
                (base_id, _, _), (draft_id, text, changed) = texts[-2], texts[-1]
            else:
                base_id, base_text, _ = texts[-1]
                text = [chapter.copy() for chapter in base_text]
                articles = [n for chapter in text for n in chapter.children if n.kind == ProvisionKind.ARTICLE]
                changed = rng.sample(articles, min(len(articles), rng.randint(1, 3)))
                for article in changed:
                    target = article.children[-1] if article.children else article
                    target.text = nfc(target.text + rng.choice(ADDED_WORDS))
                    target.folded = fold(f"{target.heading} {target.text}")
                draft = Version(
                    id=ids(Version),
                    regulation=regulation,
                    status=VersionStatus.DRAFT,
                    issuing_organization=organization,
                    kind=regulation.kind,
                    term=self.terms[organization.pk],
                    title=f"Dự thảo {regulation.title}",
                    created_at=self.moment(started),
                    created_by=office,
                )
                draft_id = draft.pk
                versions.append(draft)
                provisions += provision_rows(ids, draft_id, text)
            closed = status not in (AmendmentStatus.IN_PROGRESS, AmendmentStatus.ADOPTED)
            amendment = Amendment(
                regulation=regulation,
                base_version_id=base_id,
                draft_id=draft_id,
                title=f"Sửa đổi, bổ sung {regulation.title}"[:300],
                stage=stage,
                status=status,
                stage_entered_at=self.moment(rng.uniform(1, min(started, 40))),
                reason="<p>Rà soát định kỳ theo yêu cầu của cấp ủy cấp trên; bổ sung nội dung mới phát sinh.</p>",
                strengths="<p>Quy chế được thực hiện nghiêm túc.</p>" if rng.random() < 0.7 else "",
                shortcomings="<p>Một số tài liệu gửi chậm so với quy định.</p>" if rng.random() < 0.5 else "",
                created_at=self.moment(started),
                created_by=office,
                closed_at=self.moment(rng.uniform(0, 10)) if closed else None,
            )
            amendments.append(amendment)
            later.append((amendment, organization, process, stage, status, text, changed, office, started))
        bulk(Version, versions, 1000)
        insert_provisions(provisions)
        bulk(Amendment, amendments, 1000)
        self.amendment_parts(later, children)

    def amendment_parts(self, later, children):
        """The working group, the events up to the amendment's stage, the changes to the draft, and, once
        consultation has begun, the requests, the comments and, after synthesis, the dispositions."""
        rng = self.rng
        group, events, changes, requests, comments = [], [], [], [], []
        for amendment, organization, process, stage, status, text, changed, office, started in later:
            group.append(
                WorkingGroupMember(
                    amendment=amendment,
                    user=office,
                    role=WorkingGroupRole.CHAIR,
                    affiliation="Văn phòng",
                    added_by=office,
                    added_at=self.moment(started),
                )
            )
            reached = process.index(stage)
            days = iter(sorted((rng.uniform(0, started) for _ in range(len(process) + 2)), reverse=True))
            events.append(
                Event(
                    amendment=amendment,
                    actor=office,
                    action=EventAction.CREATE,
                    from_status="",
                    to_status=AmendmentStatus.IN_PROGRESS,
                    to_stage=process[0],
                    at=self.moment(started),
                )
            )
            passed = reached + (1 if status in (AmendmentStatus.ADOPTED, AmendmentStatus.ISSUED) else 0)
            for index in range(min(passed, len(process) - 1)):
                before, after = process[index], process[index + 1]
                events.append(self.event(amendment, organization, office, before, after, next(days)))
            if status in (AmendmentStatus.ADOPTED, AmendmentStatus.ISSUED, AmendmentStatus.REJECTED):
                last = process[-1]
                event = self.event(amendment, organization, office, last, last, next(days))
                event.to_status = (
                    AmendmentStatus.REJECTED if status == AmendmentStatus.REJECTED else AmendmentStatus.ADOPTED
                )
                event.action = EventAction.REJECT if status == AmendmentStatus.REJECTED else EventAction.APPROVE
                event.from_status = AmendmentStatus.IN_PROGRESS
                events.append(event)
            if status == AmendmentStatus.ISSUED:
                events.append(
                    Event(
                        amendment=amendment,
                        actor=office,
                        action=EventAction.ISSUE,
                        from_status=AmendmentStatus.ADOPTED,
                        to_status=AmendmentStatus.ISSUED,
                        from_stage=process[-1],
                        to_stage=process[-1],
                        at=self.moment(next(days)),
                    )
                )
            if status == AmendmentStatus.WITHDRAWN:
                events.append(
                    Event(
                        amendment=amendment,
                        actor=office,
                        action=EventAction.WITHDRAW,
                        from_status=AmendmentStatus.IN_PROGRESS,
                        to_status=AmendmentStatus.WITHDRAWN,
                        from_stage=stage,
                        to_stage=stage,
                        at=self.moment(next(days)),
                    )
                )
            for article in changed:
                changes.append(
                    ArticleChange(
                        amendment=amendment,
                        article_key=article.key,
                        article_label=article.label,
                        kind=ArticleChange.Kind.MODIFIED,
                        reason="Cập nhật theo văn bản mới của cấp trên.",
                        author=office,
                        at=self.moment(started - 1),
                    )
                )
            consultation = next((i for i, s in enumerate(process) if s.is_consultation), None)
            if consultation is None or reached < consultation:
                continue
            open_now = reached == consultation and status == AmendmentStatus.IN_PROGRESS
            asked = [u for u in self.organization_people(organization) if u.pk != office.pk][:4]
            below = children[organization.pk][: rng.randint(1, 4)]
            due = (
                self.today + datetime.timedelta(days=rng.randint(-3, 7))
                if open_now
                else self.today - datetime.timedelta(days=rng.randint(10, 60))
            )
            articles = [n for chapter in text for n in chapter.children if n.kind == ProvisionKind.ARTICLE]
            for person in asked:
                answered = not open_now or rng.random() < 0.5
                requests.append(
                    ConsultationRequest(
                        amendment=amendment,
                        user=person,
                        due=due,
                        created_by=office,
                        created_at=self.moment(started - 2),
                        answered_at=self.moment(rng.uniform(0, 5)) if answered else None,
                        answered_by=person if answered else None,
                        no_comment=answered and rng.random() < 0.3,
                    )
                )
            for unit in below:
                answered = not open_now or rng.random() < 0.5
                secretary = self.secretary[unit.pk]
                requests.append(
                    ConsultationRequest(
                        amendment=amendment,
                        organization=unit,
                        due=due,
                        created_by=office,
                        created_at=self.moment(started - 2),
                        answered_at=self.moment(rng.uniform(0, 5)) if answered else None,
                        answered_by=secretary if answered else None,
                    )
                )
            for person in [*asked, *(self.secretary[unit.pk] for unit in below)]:
                for _ in range(rng.choice([0, 1, 1, 2])):
                    article = rng.choice(articles) if articles and rng.random() < 0.8 else None
                    comment = Comment(
                        amendment=amendment,
                        author=person,
                        text=rng.choice(COMMENTS),
                        article_key=article.key if article else None,
                        article_label=article.label if article else "",
                        created_at=self.moment(rng.uniform(1, 10)),
                    )
                    comment.disposed = (
                        reached > consultation + 1
                        or status != AmendmentStatus.IN_PROGRESS
                        or (reached == consultation + 1 and rng.random() < 0.5)
                    )
                    comment.decider = office
                    comments.append(comment)
        bulk(WorkingGroupMember, group, 2000)
        bulk(Event, events, 2000)
        bulk(ArticleChange, changes, 2000)
        bulk(ConsultationRequest, requests, 2000)
        bulk(Comment, comments, 2000)
        bulk(
            Disposition,
            [
                Disposition(
                    comment=comment,
                    kind=kind,
                    explanation=explanation,
                    decided_by=comment.decider,
                    decided_at=self.moment(rng.uniform(0, 3)),
                )
                for comment in comments
                if comment.disposed
                for kind, explanation in [rng.choice(DISPOSITIONS)]
            ],
            2000,
        )

    def event(self, amendment, organization, actor, before, after, days_ago):
        """Leaving `before` for `after`: the working group submits, a body approves (with its meeting)."""
        meeting = {}
        if before.records_meeting:
            total = 5 if organization.kind in (K.PROVINCIAL, K.DISTRICT, K.BLOC) else 3
            if before.general_meeting:
                total = self.rng.randint(8, 40)
            day = timezone.localtime(self.moment(days_ago)).date()
            meeting = {"meeting_date": day, "members_total": total, "members_present": total}
            if before.is_decision:
                meeting.update(votes_for=total, votes_against=0, votes_abstain=0)
        return Event(
            amendment=amendment,
            actor=actor,
            action=EventAction.SUBMIT if before.by_working_group else EventAction.APPROVE,
            from_status=AmendmentStatus.IN_PROGRESS,
            to_status=AmendmentStatus.IN_PROGRESS,
            from_stage=before,
            to_stage=after,
            at=self.moment(days_ago),
            **meeting,
        )

    # Inspections ----------------------------------------------------------------------------------

    def inspections(self):
        """Superiors (the city, the bloc, the districts) inspecting organizations below them: one through
        the services, the rest in bulk, each with one to three findings at every stage of remediation."""
        rng = self.rng
        inspectors = [o for o in self.organizations if o.kind in (K.PROVINCIAL, K.BLOC, K.DISTRICT)]
        below = defaultdict(list)
        for organization in self.organizations:
            for inspector in inspectors:
                if organization.is_below(inspector) and organization.kind in (
                    K.GRASSROOTS_COMMITTEE,
                    K.GRASSROOTS_CELL,
                    K.DISTRICT,
                ):
                    below[inspector.pk].append(organization)
        office = User.objects.get(username=ACCOUNTS["office"][0])
        first = below[self.bloc.pk][0]
        inspection = inspection_services.inspection_create(
            inspecting=self.bloc,
            inspected=first,
            user=office,
            kind=InspectionKind.INSPECTION,
            date=self.today - datetime.timedelta(days=30),
            team="Đoàn kiểm tra của Ban Thường vụ Đảng ủy Khối",
            scope="Việc ban hành và thực hiện quy chế làm việc nhiệm kỳ 2025 - 2030.",
        )
        inspection_services.finding_add(
            inspection=inspection,
            user=office,
            kind=FindingKind.LIMITATION,
            description="Chưa rà soát quy chế làm việc theo định kỳ sáu tháng.",
            remediation="Tổ chức rà soát, báo cáo kết quả về Văn phòng Đảng ủy Khối.",
            deadline=self.today + datetime.timedelta(days=30),
        )
        inspections, findings = [], []
        current = {
            regulation.organization_id: regulation
            for regulation in self.regulation_rows
            if regulation.kind == RegulationKind.COMMITTEE_RULES
        }
        for _ in range(max(3, round(self.n * 0.03))):
            inspector = rng.choice(inspectors)
            if not below[inspector.pk]:
                continue
            inspected = rng.choice(below[inspector.pk])
            day = self.today - datetime.timedelta(days=rng.randint(20, 500))
            inspection = Inspection(
                inspecting=inspector,
                inspected=inspected,
                kind=rng.choice(InspectionKind.values),
                date=day,
                team=f"Đoàn của Ban Thường vụ {inspector.name}",
                scope=rng.choice(SCOPES),
                created_by=self.drafter(inspector),
                created_at=self.moment((self.today - day).days),
            )
            inspections.append(inspection)
            regulation = current.get(inspected.pk)
            for _ in range(rng.randint(1, 3)):
                status = rng.choice(FindingStatus.values)
                article = None
                if regulation is not None and rng.random() < 0.5:
                    versions = self.texts[regulation.pk]
                    article = rng.choice(
                        [n for chapter in versions[-1][1] for n in chapter.children if n.kind == ProvisionKind.ARTICLE]
                    )
                finding = Finding(
                    inspection=inspection,
                    kind=rng.choice(FindingKind.values),
                    description=rng.choice(FINDINGS),
                    remediation="Rà soát, sửa đổi quy chế và báo cáo kết quả khắc phục.",
                    deadline=day + datetime.timedelta(days=rng.randint(30, 180)),
                    status=status,
                    regulation=regulation if article else None,
                    article_key=article.key if article else None,
                    article_label=article.label if article else "",
                    created_by=inspection.created_by,
                    created_at=inspection.created_at,
                )
                findings.append(finding)
        bulk(Inspection, inspections, 1000)
        bulk(Finding, findings, 1000)
        steps = {
            FindingStatus.OPEN: [FindingAction.RECORD],
            FindingStatus.REPORTED: [FindingAction.RECORD, FindingAction.REPORT],
            FindingStatus.CLOSED: [FindingAction.RECORD, FindingAction.REPORT, FindingAction.ACCEPT],
            FindingStatus.REOPENED: [FindingAction.RECORD, FindingAction.REPORT, FindingAction.REOPEN],
        }
        after = {
            FindingAction.RECORD: FindingStatus.OPEN,
            FindingAction.REPORT: FindingStatus.REPORTED,
            FindingAction.ACCEPT: FindingStatus.CLOSED,
            FindingAction.REOPEN: FindingStatus.REOPENED,
        }
        events = []
        for finding in findings:
            status = ""
            for number, action in enumerate(steps[finding.status]):
                actor = (
                    finding.created_by if action != FindingAction.REPORT else self.drafter(finding.inspection.inspected)
                )
                events.append(
                    FindingEvent(
                        finding=finding,
                        actor=actor,
                        action=action,
                        from_status=status,
                        to_status=after[action],
                        deadline=finding.deadline,
                        comment="Đã tổ chức khắc phục." if action == FindingAction.REPORT else "",
                        at=finding.created_at + datetime.timedelta(days=10 * number),
                    )
                )
                status = after[action]
        bulk(FindingEvent, events, 2000)

    # Notifications --------------------------------------------------------------------------------

    def notifications(self):
        """About six per organization: reminders of reviews, consultations and stalled dossiers, most of
        them read and emailed; a few hundred for each of the benchmark's accounts."""
        rng = self.rng
        target = self.n * 6
        regulations = self.regulation_rows
        reasons = [
            NotificationReason.REVIEW_DUE,
            NotificationReason.REVIEW_OVERDUE,
            NotificationReason.REVIEW_ESCALATED,
            NotificationReason.STAGE_STALLED,
            NotificationReason.CONSULTATION_DUE,
            NotificationReason.FINDING_OVERDUE,
        ]
        known = [self.auditor, self.office_user, self.member]
        seen, rows = set(), []
        while len(rows) < target:
            recipient = known[len(rows) % 3] if len(rows) < 600 else rng.choice(self.users)
            regulation = rng.choice(regulations)
            reason = rng.choice(reasons)
            days = rng.randint(0, 240)
            period = (self.today - datetime.timedelta(days=days)).isoformat()
            identity = (recipient.pk, reason, regulation.pk, period)
            if identity in seen:
                continue
            seen.add(identity)
            read = days > 3 and rng.random() < 0.7
            rows.append(
                Notification(
                    recipient=recipient,
                    reason=reason,
                    subject=f"regulation:{regulation.pk}",
                    period=period,
                    title=f"{NotificationReason(reason).label}: {regulation.title}"[:300],
                    body=f"{regulation.title} cần được xem xét theo quy định.",
                    url=f"/quy-che/{regulation.pk}/",
                    created_at=self.moment(days + rng.random()),
                    read_at=self.moment(days - 0.5) if read else None,
                    email_status=EmailStatus.SENT if recipient.email_mode != "none" else EmailStatus.SKIPPED,
                    emailed_at=self.moment(days) if recipient.email_mode != "none" else None,
                )
            )
        bulk(Notification, rows, 2000)


COMMENTS = [
    "Đề nghị quy định rõ thời hạn gửi tài liệu trước hội nghị.",
    "Thống nhất với dự thảo; đề nghị sớm ban hành.",
    "Đề nghị bổ sung trách nhiệm của người đứng đầu trong tổ chức thực hiện.",
    "Nên quy định rõ họp trực tuyến phải bảo đảm bí mật.",
    "Đề nghị rà soát lại tên gọi các phòng, ban cho phù hợp với tổ chức bộ máy mới.",
    "Đề nghị bổ sung chế độ báo cáo định kỳ sáu tháng với cấp ủy cấp trên.",
]
DISPOSITIONS = [
    (DispositionKind.ACCEPTED, "Đã tiếp thu, chỉnh sửa trong dự thảo."),
    (DispositionKind.ACCEPTED, ""),
    (DispositionKind.EXPLAINED, "Nội dung này đã được quy định tại văn bản của cấp trên; không cần nhắc lại."),
]
SCOPES = [
    "Việc ban hành và thực hiện quy chế làm việc nhiệm kỳ 2025 - 2030.",
    "Việc thực hiện chế độ sinh hoạt, hội nghị theo quy chế làm việc.",
    "Việc rà soát, sửa đổi, bổ sung quy chế theo quy định mới của cấp trên.",
]
FINDINGS = [
    "Chưa rà soát quy chế làm việc theo định kỳ sáu tháng.",
    "Một số nội dung của quy chế chưa phù hợp với quy chế mẫu của cấp trên.",
    "Tài liệu hội nghị gửi chậm so với quy định của quy chế.",
    "Chưa phân công rõ trách nhiệm của từng ủy viên trong quy chế.",
]


def import_keyed(*, text: str, regulation: Regulation, chapters: list[Node]) -> Version:
    """A new version of `regulation` whose provisions keep the keys already given them (who made the text
    knows which article continues which): what the service does after matching, without the matching."""
    document = parsing.parse_regulation(text)
    version = Version(
        regulation=regulation,
        status=VersionStatus.IN_FORCE,
        number=normalize_number(document.number),
        issued=document.issued,
        effective=document.issued,
        issuing_organization=regulation.organization,
        kind=regulation.kind,
        term=regulation.term,
        source_text=text,
        **{name: getattr(document, name) for name in Version.DOCUMENT_FIELDS},
    )
    version.save()
    regulation_services.provisions_create(
        version=version,
        nodes=[chapter.parsed_node() for chapter in chapters],
        user=None,
        reason=regulation_services.IMPORT_REASON,
    )
    version.cited_documents.set(regulation_services.recognised_documents(document.legal_bases))
    regulation_services.versions_relink(regulation=regulation)
    version.refresh_from_db()
    return version


# What a benchmark and the tests visit ------------------------------------------------------------

SEARCHES = {
    "search, a hit": "phòng, chống tham nhũng",
    "search, a hit without diacritics": "phong chong tham nhung",
    "search, no hit": "vệ tinh địa tĩnh",
    "search, no hit without diacritics": "ve tinh dia tinh",
}


def key_pages() -> dict[str, str]:
    """The pages that must stay fast at province scale, by name, as the city's auditor visits them."""
    city = Organization.objects.get(parent=None, code=CITY_CODE)
    bloc = Organization.objects.get(parent=city, code="DUK")
    long = Regulation.objects.get(organization=city, kind=RegulationKind.COMMITTEE_RULES)
    first, second = long.versions.order_by("issued")[:2]
    kept = Provision.objects.filter(version=first, kind=ProvisionKind.ARTICLE).values("key")
    article = Provision.objects.filter(version=second, kind=ProvisionKind.ARTICLE, key__in=kept).order_by("position")
    pages = {
        "oversight, city": reverse("oversight:dashboard", args=[city.pk]),
        "oversight, Khối": reverse("oversight:dashboard", args=[bloc.pk]),
        "oversight CSV, Khối": reverse("oversight:export", args=[bloc.pk, "csv"]),
        "amendment list": reverse("reviews:list"),
        "API amendments": "/api/amendments/",
        "compare 300 articles": reverse("regulations:compare", args=[first.pk, second.pk]),
        "API compare 300 articles": reverse("api-compare", args=[first.pk, second.pk]),
        "organization, Khối": reverse("organizations:detail", args=[bloc.pk]),
        "version, 300 articles": reverse("regulations:version", args=[second.pk]),
        "tree node, Khối": reverse("organizations:children", args=[bloc.pk]),
        "tree root": reverse("organizations:tree"),
        "article history": reverse("regulations:article", args=[second.pk, article.first().key]),
        "notifications": reverse("notifications:list"),
        **{name: f"{reverse('regulations:search')}?{urlencode({'q': query})}" for name, query in SEARCHES.items()},
        "regulation list, Khối": reverse("regulations:list", args=[bloc.pk]),
        "việc cần làm": reverse("reviews:todo"),
        "trang chủ": reverse("home"),
        "regulation, 300 articles": reverse("regulations:detail", args=[long.pk]),
        "API organizations": "/api/organizations/",
    }
    return pages
