"""Demo data: Thành ủy Cần Thơ with the Đảng ủy Khối Cơ quan Dân Chính Đảng as the seeds describe it.

97 TCCSĐ (54 đảng bộ cơ sở, 43 chi bộ cơ sở), 3 đảng bộ bộ phận and 424 chi bộ trực thuộc under
the bloc; two quận ủy with their wards; a đảng đoàn HĐND and a ban cán sự đảng UBND. Everything
is looked up before it is created, so a second run changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from organizations import services
from organizations.models import Body, BodyKind, Organization, OrganizationKind, Position, Role, Term
from quyche.text import fold

K, B, R = OrganizationKind, BodyKind, Role

DEMO_PASSWORD = "QuyChe@2026"

GRASSROOTS_COMMITTEES = [
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Thanh tra thành phố",
    "Văn phòng Ủy ban nhân dân thành phố",
    "Cơ quan Thành ủy",
    "Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
    "Trường Chính trị thành phố",
    "Báo Cần Thơ",
    "Đài Phát thanh và Truyền hình thành phố",
    "Bệnh viện Đa khoa thành phố",
    "Bệnh viện Nhi đồng thành phố",
    "Bệnh viện Ung bướu thành phố",
    "Bệnh viện Tim mạch thành phố",
    "Bệnh viện Phụ sản thành phố",
    "Bệnh viện Y học cổ truyền thành phố",
    "Bệnh viện Lao và Bệnh phổi",
    "Bệnh viện Tâm thần",
    "Bệnh viện Mắt - Răng Hàm Mặt",
    "Trung tâm Kiểm soát bệnh tật thành phố",
    "Trường Cao đẳng Y tế",
    "Trường Cao đẳng Kinh tế - Kỹ thuật",
    "Trường Cao đẳng Cần Thơ",
    "Trường Trung học phổ thông chuyên Lý Tự Trọng",
    "Trường Trung học phổ thông Châu Văn Liêm",
    "Trường Trung học phổ thông Bùi Hữu Nghĩa",
    "Trường Trung học phổ thông Nguyễn Việt Hồng",
    "Thuế thành phố",
    "Thống kê thành phố",
    "Bảo hiểm xã hội thành phố",
    "Kho bạc Nhà nước khu vực XX",
    "Liên đoàn Lao động thành phố",
    "Thành Đoàn",
    "Hội Liên hiệp Phụ nữ thành phố",
    "Hội Nông dân thành phố",
    "Ban Quản lý các khu chế xuất và công nghiệp",
    "Ban Quản lý dự án đầu tư xây dựng thành phố",
    "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch",
    "Tòa án nhân dân thành phố",
    "Viện Kiểm sát nhân dân thành phố",
    "Thi hành án dân sự thành phố",
    "Hải quan thành phố",
    "Ngân hàng Nhà nước khu vực 14",
    "Trung tâm Phục vụ hành chính công",
    "Sở Dân tộc và Tôn giáo",
    "Trung tâm Y tế quận Ninh Kiều",
    "Trường Đại học Kỹ thuật - Công nghệ Cần Thơ",
]
GRASSROOTS_CELLS = [
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân thành phố",
    "Hội Cựu chiến binh thành phố",
    "Liên hiệp các Hội Khoa học và Kỹ thuật",
    "Liên hiệp các tổ chức hữu nghị",
    "Hội Chữ thập đỏ thành phố",
    "Hội Văn học Nghệ thuật",
    "Hội Nhà báo thành phố",
    "Hội Luật gia thành phố",
    "Liên minh Hợp tác xã",
    "Quỹ Đầu tư phát triển thành phố",
    "Viện Kinh tế - Xã hội thành phố",
    "Trung tâm Công nghệ thông tin",
    "Ban Quản lý Khu di tích",
    "Nhà hát Tây Đô",
    "Bảo tàng thành phố",
    "Thư viện thành phố",
    "Trung tâm Huấn luyện và Thi đấu thể dục thể thao",
    "Trung tâm Dịch vụ việc làm",
    "Trung tâm Bảo trợ xã hội",
    "Cơ sở Cai nghiện ma túy",
    "Trung tâm Khuyến nông",
    "Chi cục Thủy lợi",
    "Chi cục Kiểm lâm",
    "Vườn quốc gia",
    "Trung tâm Quan trắc tài nguyên và môi trường",
    "Văn phòng Đăng ký đất đai",
    "Trung tâm Phát triển quỹ đất",
    "Ban Dân tộc thành phố",
    "Trung tâm Trợ giúp pháp lý",
    "Phòng Công chứng số 1",
    "Trung tâm Dịch vụ đấu giá tài sản",
    "Trung tâm Kiểm định xây dựng",
    "Trung tâm Đăng kiểm",
    "Ban An toàn giao thông",
    "Trường Trung học phổ thông Thực hành Sư phạm",
    "Trường Phổ thông Dân tộc nội trú",
    "Trung tâm Giáo dục thường xuyên thành phố",
    "Trường Cao đẳng Nghề",
    "Trường Trung cấp Văn hóa Nghệ thuật",
    "Trung tâm Pháp y",
    "Trung tâm Giám định y khoa",
    "Trung tâm Cấp cứu 115",
    "Hội Người mù thành phố",
]
DEPARTMENTS = [
    "Văn phòng",
    "Phòng Tổ chức - Hành chính",
    "Phòng Kế hoạch - Tài chính",
    "Phòng Nghiệp vụ 1",
    "Phòng Nghiệp vụ 2",
    "Phòng Thanh tra - Pháp chế",
    "Phòng Quản lý chuyên ngành",
    "Phòng Tổng hợp",
]
SUB_COMMITTEE_UNITS = ["Khối Nội", "Khối Ngoại", "Khối Cận lâm sàng"]
WARDS = {
    "Quận ủy Ninh Kiều": [
        "Cái Khế",
        "An Hòa",
        "Thới Bình",
        "An Nghiệp",
        "An Cư",
        "Tân An",
        "An Phú",
        "Xuân Khánh",
        "Hưng Lợi",
        "An Khánh",
        "An Bình",
    ],
    "Quận ủy Cái Răng": ["Lê Bình", "Hưng Phú", "Hưng Thạnh", "Ba Láng", "Thường Thạnh", "Phú Thứ", "Tân Phú"],
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Hoàng", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Hữu", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
    "Khoa",
    "Nhung",
    "Toàn",
]

TERM_NAME = "Nhiệm kỳ 2025 - 2030"
# Congresses run bottom-up: grassroots first, then the bloc and districts, then the city.
TERM_START = {
    K.PROVINCIAL: datetime.date(2025, 10, 15),
    K.DISTRICT: datetime.date(2025, 8, 20),
    K.BLOC: datetime.date(2025, 8, 20),
    K.PARTY_DELEGATION: datetime.date(2025, 10, 15),
    K.PARTY_AFFAIRS: datetime.date(2025, 10, 15),
}
GRASSROOTS_TERM_START = datetime.date(2025, 6, 15)


def person_name(index: int) -> tuple[str, str]:
    """(last name, first name) in the Vietnamese order: family and middle names, then the given name."""
    family = FAMILY[index % len(FAMILY)]
    middle = MIDDLE[(index // len(FAMILY)) % len(MIDDLE)]
    given = GIVEN[(index * 7) % len(GIVEN)]
    return f"{family} {middle}", given


def acronym(name: str) -> str:
    return "".join(word[0] for word in fold(name).replace("-", " ").split() if word[0].isalnum()).upper()


class DemoBuilder:
    """Creates what is missing and counts what it created."""

    def __init__(self):
        self.created = 0
        self.people = 0
        # Hashing is slow on purpose; every demo account shares one password, so hash it once.
        self.password_hash = make_password(DEMO_PASSWORD)

    def organization(self, *, name, kind, parent=None, code=None, symbol=""):
        code = code or acronym(name)
        existing = Organization.objects.filter(parent=parent, code=code).first()
        if existing:
            return existing
        self.created += 1
        organization = services.organization_create(name=name, kind=kind, code=code, parent=parent, symbol=symbol)
        start = TERM_START.get(kind, GRASSROOTS_TERM_START)
        services.term_create(
            organization=organization,
            name=TERM_NAME,
            start=start,
            end=start.replace(year=start.year + 5) - datetime.timedelta(days=1),
        )
        return organization

    def user(self, username, *, last_name=None, first_name=None, superuser=False):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user:
            return user
        self.people += 1
        if last_name is None:
            last_name, first_name = person_name(User.objects.count() + 3)
        user = User(
            username=username,
            last_name=last_name,
            first_name=first_name,
            email=f"{username}@quyche.local",
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.password = self.password_hash
        user.save()
        return user

    def seat(self, user, organization, body_kind, role):
        body = Body.objects.get(organization=organization, kind=body_kind)
        term = Term.objects.filter(organization=organization).current().get()
        if not Position.objects.filter(user=user, body=body, term=term, role=role).exists():
            services.position_create(user=user, body=body, term=term, role=role)


def secretary_username(organization: Organization) -> str:
    return f"bithu.{fold(organization.code).replace(' ', '')}".lower()


@transaction.atomic
def seed_organizations() -> dict:
    demo = DemoBuilder()
    city = demo.organization(name="Thành ủy Cần Thơ", kind=K.PROVINCIAL, code="TUCT")
    bloc = demo.organization(
        name="Đảng ủy Khối Cơ quan Dân Chính Đảng thành phố Cần Thơ", kind=K.BLOC, parent=city, code="KDCD"
    )
    demo.organization(name="Đảng đoàn Hội đồng nhân dân thành phố", kind=K.PARTY_DELEGATION, parent=city, code="DDHDND")
    demo.organization(
        name="Ban cán sự đảng Ủy ban nhân dân thành phố", kind=K.PARTY_AFFAIRS, parent=city, code="BCSUBND"
    )

    for index, unit in enumerate(GRASSROOTS_COMMITTEES):
        committee = demo.organization(name=f"Đảng bộ {unit}", kind=K.GRASSROOTS_COMMITTEE, parent=bloc)
        cells = 8 if index < 34 else 7
        if index < len(SUB_COMMITTEE_UNITS):
            # A large đảng bộ has a đảng bộ bộ phận of four chi bộ besides its own chi bộ.
            sub = demo.organization(
                name=f"Đảng bộ bộ phận {SUB_COMMITTEE_UNITS[index]}", kind=K.SUB_COMMITTEE, parent=committee, code="BP1"
            )
            for number in range(1, 5):
                demo.organization(
                    name=f"Chi bộ {SUB_COMMITTEE_UNITS[index]} {number}", kind=K.CELL, parent=sub, code=f"CB{number}"
                )
        for number, department in enumerate(DEPARTMENTS[:cells], start=1):
            demo.organization(name=f"Chi bộ {department}", kind=K.CELL, parent=committee, code=f"CB{number:02d}")
    for unit in GRASSROOTS_CELLS:
        demo.organization(name=f"Chi bộ {unit}", kind=K.GRASSROOTS_CELL, parent=bloc)

    for district_name, wards in WARDS.items():
        district = demo.organization(name=district_name, kind=K.DISTRICT, parent=city)
        for ward in wards:
            committee = demo.organization(
                name=f"Đảng bộ phường {ward}", kind=K.GRASSROOTS_COMMITTEE, parent=district, code=f"P{acronym(ward)}"
            )
            for number in range(1, 7):
                demo.organization(name=f"Chi bộ khu vực {number}", kind=K.CELL, parent=committee, code=f"KV{number}")

    accounts = seed_people(demo, city=city, bloc=bloc)
    return {"organizations_created": demo.created, "people_created": demo.people, "accounts": accounts}


def seed_people(demo: DemoBuilder, *, city, bloc) -> list[tuple[str, str]]:
    """Named demo accounts for each role, and a secretary for every grassroots organization."""
    ninh_kieu = Organization.objects.get(parent=city, code="QUNK")
    justice = Organization.objects.get(parent=bloc, code="DBSTP")
    accounts = []

    def account(username, description, last_name, first_name, seats):
        user = demo.user(username, last_name=last_name, first_name=first_name)
        for organization, body_kind, role in seats:
            demo.seat(user, organization, body_kind, role)
        accounts.append((username, description))
        return user

    account(
        "vanphong.khoi",
        "chuyên viên Văn phòng Đảng ủy Khối (soạn thảo)",
        "Trần Thị",
        "Ngọc",
        [(bloc, B.OFFICE, R.OFFICE_STAFF)],
    )
    account(
        "btv.khoi",
        "ủy viên Ban Thường vụ Đảng ủy Khối",
        "Lê Văn",
        "Hùng",
        [(bloc, B.EXECUTIVE, R.COMMITTEE_MEMBER), (bloc, B.STANDING, R.STANDING_MEMBER)],
    )
    account(
        "bch.khoi", "ủy viên Ban Chấp hành Đảng ủy Khối", "Phạm Thanh", "Tâm", [(bloc, B.EXECUTIVE, R.COMMITTEE_MEMBER)]
    )
    account(
        "bithu.khoi",
        "Bí thư Đảng ủy Khối (Thường trực)",
        "Nguyễn Văn",
        "Long",
        [(bloc, B.EXECUTIVE, R.SECRETARY), (bloc, B.STANDING, R.SECRETARY), (bloc, B.STANDING_OFFICE, R.SECRETARY)],
    )
    account(
        "btv.thanhuy",
        "ủy viên Ban Thường vụ Thành ủy (cấp trên)",
        "Huỳnh Minh",
        "Quang",
        [(city, B.EXECUTIVE, R.COMMITTEE_MEMBER), (city, B.STANDING, R.STANDING_MEMBER)],
    )
    account(
        "vanphong.stp",
        "chuyên viên Văn phòng Đảng ủy Sở Tư pháp",
        "Võ Thị",
        "Mai",
        [(justice, B.OFFICE, R.OFFICE_STAFF)],
    )
    account(
        "bithu.ninhkieu",
        "Bí thư Quận ủy Ninh Kiều (tổ chức khác)",
        "Đặng Quốc",
        "Việt",
        [(ninh_kieu, B.EXECUTIVE, R.SECRETARY), (ninh_kieu, B.STANDING, R.SECRETARY)],
    )
    admin = demo.user("admin", last_name="Quản trị", first_name="viên", superuser=True)
    accounts.append((admin.username, "quản trị hệ thống"))

    # Fill the bloc's and the city's collective bodies so their pages look like real ones.
    for organization, prefix, size in ((city, "tu", 12), (bloc, "khoi", 9)):
        for number in range(1, size + 1):
            user = demo.user(f"bch.{prefix}.{number:02d}")
            demo.seat(user, organization, B.EXECUTIVE, R.COMMITTEE_MEMBER)
            if number <= size // 3:
                demo.seat(user, organization, B.STANDING, R.STANDING_MEMBER)
    for organization in Organization.objects.filter(parent=bloc):
        demo.seat(demo.user(secretary_username(organization)), organization, B.EXECUTIVE, R.SECRETARY)
    for code in ("DDHDND", "BCSUBND"):
        organization = Organization.objects.get(parent=city, code=code)
        demo.seat(demo.user(secretary_username(organization)), organization, B.EXECUTIVE, R.SECRETARY)
    return accounts
