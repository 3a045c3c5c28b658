import io
import json
import time

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo.province import ACCOUNTS, PASSWORD, PREFIX, Province

# What the JSON at the end counts: every row of these tables in the database (the demo's too, if it is there).
COUNTED = {
    "organizations": "organizations.Organization",
    "users": "organizations.User",
    "positions": "organizations.Position",
    "regulations": "regulations.Regulation",
    "versions": "regulations.Version",
    "provisions": "regulations.Provision",
    "amendments": "reviews.Amendment",
    "events": "reviews.Event",
    "consultation_requests": "reviews.ConsultationRequest",
    "comments": "reviews.Comment",
    "dispositions": "reviews.Disposition",
    "inspections": "inspections.Inspection",
    "findings": "inspections.Finding",
    "notifications": "notifications.Notification",
}


def counts() -> dict:
    return {name: apps.get_model(label).objects.count() for name, label in COUNTED.items()}


class Command(BaseCommand):
    help = (
        "Tạo một tỉnh mẫu (Thành ủy Tây Đô) khoảng N tổ chức, với người dùng, quy chế, hồ sơ sửa đổi, kiểm tra "
        "và thông báo, để đo hiệu năng; in số bản ghi dạng JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, required=True, help="số tổ chức (khoảng), ví dụ 10000")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (mặc định 2026)")

    def handle(self, *args, organizations, seed, **options):
        # Every generated account has the password published in the README.
        if not settings.DEBUG:
            raise CommandError(
                "Tỉnh mẫu chỉ dùng trên máy phát triển: mọi tài khoản được tạo có chung một mật khẩu công khai. "
                "Chạy lệnh với DEBUG=1, không bao giờ trên máy thật."
            )
        if organizations < 30:
            raise CommandError("Cần ít nhất 30 tổ chức.")
        start = time.monotonic()
        try:
            province = Province(organizations, seed)
            province.build()
        except ValueError as error:
            raise CommandError(str(error)) from error
        # Rows inserted in bulk send no signal: what pages kept of the database before is counted afresh.
        call_command("forget_counts", stdout=io.StringIO())
        self.stdout.write(f"Tài khoản (mật khẩu chung: {PASSWORD}; mọi tài khoản khác: {PREFIX}NNNNN.bithu, …):")
        for username, description in ACCOUNTS.values():
            self.stdout.write(f"  {username:<20} {description}")
        self.stdout.write(f"Xong sau {time.monotonic() - start:.0f} giây.")
        if options["verbosity"] > 1:
            self.stdout.write(f"Từng phần (giây): {json.dumps(province.timings)}")
        self.stdout.write(json.dumps(counts(), ensure_ascii=False))
