import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regulations import consolidation, pdf, word
from regulations.models import Regulation

# Each format a consolidated text is written in, and how.
FORMATS = {"pdf": pdf.render_consolidated, "docx": word.render_consolidated_docx}


class Command(BaseCommand):
    help = (
        "Xuất văn bản hợp nhất của một quy chế (văn bản có hiệu lực vào một ngày, ghi chú điều nào được sửa đổi, "
        "bổ sung, bãi bỏ theo văn bản nào). In ra đường dẫn tệp đã ghi."
    )

    def add_arguments(self, parser):
        parser.add_argument("regulation_id", type=int, help="mã (id) quy chế, như trong API")
        parser.add_argument("--on", help="ngày, dạng YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf", help="định dạng tệp (mặc định: pdf)")
        parser.add_argument(
            "--output", "-o", type=Path, help="tệp cần ghi (mặc định: như hop-nhat-07-qc-duk-2026-05-01.pdf)"
        )

    def handle(self, *args, regulation_id: int, on: str | None, format: str, output: Path | None, **options):
        regulation = Regulation.objects.filter(pk=regulation_id).first()
        if regulation is None:
            raise CommandError(f"Không có quy chế mã {regulation_id}.")
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {on}. Hãy ghi theo dạng YYYY-MM-DD.") from None
        chain = consolidation.chain_on(regulation, day)
        if chain is None:
            raise CommandError(f"Không có văn bản nào của quy chế này có hiệu lực vào ngày {day:%d/%m/%Y}.")
        text = consolidation.consolidated(chain)
        output = output or Path(pdf.consolidated_pdf_filename(text, day=day).removesuffix(".pdf") + f".{format}")
        document = FORMATS[format](text, day=day)
        try:
            output.write_bytes(document)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {output}: {error.strerror}.") from error
        self.stdout.write(str(output))
