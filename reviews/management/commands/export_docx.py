from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regulations import pdf, tracked, word
from regulations.models import Version
from reviews import word as consultation_word
from reviews.models import Amendment


class Command(BaseCommand):
    help = (
        "Xuất một phiên bản quy chế ra tệp Word (.docx) theo thể thức văn bản của Đảng; với --against, "
        "bản có đánh dấu thay đổi so với phiên bản đó. In ra đường dẫn tệp đã ghi."
    )

    def add_arguments(self, parser):
        parser.add_argument("version_id", type=int, help="mã (id) phiên bản, như trong API")
        parser.add_argument(
            "--output", "-o", type=Path, help="tệp .docx cần ghi (mặc định: theo số hiệu văn bản, như 25-QC-TU.docx)"
        )
        parser.add_argument(
            "--against", type=int, metavar="VERSION_ID",
            help="mã phiên bản đang có hiệu lực: các khác biệt được ghi thành thay đổi có theo dõi (Track Changes)",
        )  # fmt: skip
        parser.add_argument("--line-numbers", action="store_true", help="đánh số dòng (chỉ với --against)")

    def handle(self, *args, version_id: int, output: Path | None, against: int | None, line_numbers: bool, **options):
        version = _version(version_id)
        output = output or Path(word.docx_filename(pdf.version_pdf_filename(version)))
        if against is None:
            document = word.render_version_docx(version)
        else:
            document = _tracked(_version(against), version, line_numbers=line_numbers)
        try:
            output.write_bytes(document)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {output}: {error.strerror}.") from error
        self.stdout.write(str(output))


def _version(pk: int) -> Version:
    version = Version.objects.without_source().filter(pk=pk).first()
    if version is None:
        raise CommandError(f"Không có phiên bản mã {pk}.")
    return version


def _tracked(base: Version, version: Version, *, line_numbers: bool) -> bytes:
    """The dossier's consultation copy when `version` is its draft against its base; else the changes signed
    by whoever made the version."""
    if base.regulation_id != version.regulation_id:
        raise CommandError("Hai phiên bản không thuộc cùng một quy chế.")
    amendment = Amendment.objects.filter(draft=version, base_version=base).select_related("created_by").first()
    if amendment is not None:
        return consultation_word.consultation_copy(amendment, line_numbers=line_numbers)
    by = word.Revision(consultation_word.person(version.created_by), version.created_at)
    return tracked.render_tracked_docx(
        base, version, authorship=tracked.Authorship(default=by), line_numbers=line_numbers
    )
