import json

from django.core.management.base import BaseCommand

from notifications.tasks import scan_reminders


class Command(BaseCommand):
    help = (
        "Quét một lượt các việc cần nhắc (dùng cho cron). In ra JSON: created, emailed, skipped_duplicates, "
        "not_queued (thư chưa đưa được vào hàng đợi; lượt quét sau sẽ gửi)."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(scan_reminders(), ensure_ascii=False))
