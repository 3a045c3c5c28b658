"""`manage.py forget_counts`: every page counts and draws afresh what the "counts" cache kept.

What is kept there (the header's counts, organization pages, search hits, the API's totals) is dropped when a
service or a saved object says it changed; rows written around them — a database restored from a backup,
a province generated in bulk — say nothing, so whoever writes them runs this once after. Other caches, and
Celery's queue in the same Redis database, are left as they are.
"""

from django.core.cache import caches
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Quên mọi số đếm và trang đã giữ trong bộ nhớ đệm (sau khi khôi phục hoặc ghi dữ liệu hàng loạt)."

    def handle(self, *args, **options):
        caches["counts"].clear()
        self.stdout.write("Đã xóa các số đếm đã giữ; trang sẽ tính lại từ cơ sở dữ liệu.")
