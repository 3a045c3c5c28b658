from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.amendments import seed_amendments
from demo.organizations import DEMO_PASSWORD, seed_organizations
from demo.regulations import seed_regulations


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: Thành ủy Cần Thơ, Đảng ủy Khối, các quy chế và hồ sơ sửa đổi ở từng bước. "
        "Chạy lại không thay đổi gì."
    )

    def handle(self, *args, **options):
        # Every demo account, the superuser `admin` included, has the password published in the README.
        if not settings.DEBUG:
            raise CommandError(
                "Dữ liệu mẫu chỉ dùng trên máy phát triển: mọi tài khoản mẫu, kể cả quản trị viên, có chung "
                "một mật khẩu công khai. Chạy lệnh với DEBUG=1 (make run đã đặt sẵn), không bao giờ trên máy thật."
            )
        # The demo walks its dossiers through the services, which tell everyone concerned by email as they chose:
        # the demo's people are invented, so their emails go nowhere (the notifications stay, in the app).
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        result = seed_organizations()
        self.stdout.write(
            f"Đã tạo {result['organizations_created']} tổ chức và {result['people_created']} người dùng mới."
        )
        regulations = seed_regulations()
        self.stdout.write(
            f"Đã nhập {regulations['versions_created']} văn bản quy chế mẫu "
            f"({regulations['regulations_created']} quy chế mới)."
        )
        self.stdout.write(f"Đã tạo {seed_amendments()} hồ sơ sửa đổi, bổ sung mẫu.")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, description in result["accounts"]:
            self.stdout.write(f"  {username:<16} {description}")
