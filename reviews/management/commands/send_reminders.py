import json

from django.core.management.base import BaseCommand

from reviews import notifications


class Command(BaseCommand):
    help = "Quét một lượt các việc cần nhắc (dùng cho cron). In ra JSON: created, emailed, skipped_duplicates."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(notifications.scan(), ensure_ascii=False))
