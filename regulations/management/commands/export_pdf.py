from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regulations import pdf
from regulations.models import Version


class Command(BaseCommand):
    help = "Xuất một phiên bản quy chế ra tệp PDF theo thể thức văn bản của Đảng. In ra đường dẫn tệp đã ghi."

    def add_arguments(self, parser):
        parser.add_argument("version_id", type=int, help="mã (id) phiên bản, như trong API")
        parser.add_argument(
            "--output", "-o", type=Path, help="tệp PDF cần ghi (mặc định: theo số hiệu văn bản, như 25-QC-TU.pdf)"
        )

    def handle(self, *args, version_id: int, output: Path | None, **options):
        version = Version.objects.without_source().filter(pk=version_id).first()
        if version is None:
            raise CommandError(f"Không có phiên bản mã {version_id}.")
        output = output or Path(pdf.version_pdf_filename(version))
        document = pdf.render_version(version)
        try:
            output.write_bytes(document)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {output}: {error.strerror}.") from error
        self.stdout.write(str(output))
