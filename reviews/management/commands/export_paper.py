from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews import papers
from reviews.models import Amendment, Paper, PaperKind


class Command(BaseCommand):
    help = (
        "Xuất một văn bản kèm hồ sơ sửa đổi (tờ trình, báo cáo tổng hợp, biên bản, quyết định) ra tệp PDF hoặc Word: "
        "bản đã ban hành như đã lưu, hoặc bản đang soạn. In ra đường dẫn tệp đã ghi."
    )

    def add_arguments(self, parser):
        parser.add_argument("amendment_id", type=int, help="mã (id) hồ sơ sửa đổi, như trong API")
        parser.add_argument("kind", choices=PaperKind.values, help="loại văn bản")
        parser.add_argument("--format", choices=("pdf", "docx"), default="pdf", dest="extension")
        parser.add_argument("--output", "-o", type=Path, help="tệp cần ghi (mặc định: theo loại và số văn bản)")

    def handle(self, *args, amendment_id: int, kind: str, extension: str, output: Path | None, **options):
        amendment = (
            Amendment.objects.select_related("regulation__organization", "draft", "base_version")
            .filter(pk=amendment_id)
            .first()
        )
        if amendment is None:
            raise CommandError(f"Không có hồ sơ sửa đổi mã {amendment_id}.")
        paper = Paper.objects.select_related("number").filter(amendment=amendment, kind=kind).first()
        try:
            content = papers.content(amendment, kind, extension, paper)
        except ValueError as error:
            raise CommandError(str(error)) from error
        number = paper.number.number if paper is not None and paper.is_final else ""
        output = output or Path(papers.filename(amendment, kind, number, extension))
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {output}: {error.strerror}.") from error
        self.stdout.write(str(output))
