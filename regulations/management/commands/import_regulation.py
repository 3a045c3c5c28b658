import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organizations.models import Organization
from regulations import parsing, services
from regulations.models import Regulation


class Command(BaseCommand):
    help = (
        "Nhập một văn bản quy chế (.txt hoặc .docx). In ra một đối tượng JSON: number, issued, kind, title, "
        "chapters, articles, clauses, points và version_id khi đã lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", type=int, help="mã (id) tổ chức ban hành, như trong API")
        parser.add_argument("--regulation", type=int, help="thêm văn bản làm một phiên bản của quy chế này")
        parser.add_argument("--dry-run", action="store_true", help="chỉ đọc và kiểm tra, không lưu gì")

    def handle(self, *args, file: Path, organization, regulation, dry_run, **options):
        text = read_text(file)
        if dry_run:
            try:
                document = services.parse_or_refuse(text)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            result = services.ImportResult(version=None, document=document)
        else:
            if organization is None and regulation is None:
                raise CommandError("Cần --organization hoặc --regulation (hoặc --dry-run).")
            try:
                with transaction.atomic():
                    result = services.regulation_import(
                        text=text,
                        user=None,
                        organization=_get(Organization, organization, "tổ chức"),
                        regulation=_get(Regulation, regulation, "quy chế"),
                    )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        for warning in result.document.warnings:
            self.stderr.write(str(warning))
        self.stdout.write(json.dumps(result.summary(), ensure_ascii=False))


def _get(model, pk, name):
    if pk is None:
        return None
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        raise CommandError(f"Không có {name} mã {pk}.") from None


def read_text(file: Path) -> str:
    if not file.exists():
        raise CommandError(f"Không tìm thấy tệp {file}.")
    if file.suffix.lower() == ".docx":
        return parsing.read_docx(file)
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"Tệp {file} không phải văn bản UTF-8 (hãy lưu lại dạng UTF-8 hoặc .docx).") from None
