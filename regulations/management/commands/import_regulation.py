import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organizations.models import Organization
from regulations import parsing, services
from regulations.models import Regulation


class Command(BaseCommand):
    help = (
        "Nhập một văn bản quy chế (.txt hoặc .docx). In ra một đối tượng JSON: number, issued, kind, title, "
        "chapters, articles, clauses, points và version_id khi đã lưu. Mọi lỗi được báo bằng một thông báo, "
        "không lưu gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", type=int, help="mã (id) tổ chức ban hành, như trong API")
        parser.add_argument("--regulation", type=int, help="thêm văn bản làm một phiên bản của quy chế này")
        parser.add_argument(
            "--user",
            help="tên đăng nhập của người nhập: lịch sử ghi tên người này, và quyền nhập của họ được kiểm tra "
            "(không có thì ghi là hệ thống)",
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ đọc và kiểm tra, không lưu gì")

    def handle(self, *args, file: Path, organization, regulation, user, dry_run, **options):
        text = read_text(file)
        person = _get_user(user) if user else None
        organization = _get(Organization, organization, "tổ chức")
        regulation = _get(Regulation, regulation, "quy chế")
        try:
            if dry_run:
                result = services.ImportResult(version=None, document=services.parse_or_refuse(text))
            else:
                if organization is None and regulation is None:
                    raise CommandError("Cần --organization hoặc --regulation (hoặc --dry-run).")
                with transaction.atomic():
                    result = services.regulation_import(
                        text=text, user=person, organization=organization, regulation=regulation
                    )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(f"{person.username}: {error}") from None
        issuer = regulation.organization if regulation is not None else organization
        warnings = [str(warning) for warning in result.document.warnings]
        if issuer is not None:
            warnings.append(services.letterhead_warning(result.document, issuer))
        for warning in filter(None, warnings):
            self.stderr.write(warning)
        self.stdout.write(json.dumps(result.summary(), ensure_ascii=False))


def _get(model, pk, name):
    if pk is None:
        return None
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        raise CommandError(f"Không có {name} mã {pk}.") from None


def _get_user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không có người dùng với tên đăng nhập {username}.")
    return user


def read_text(file: Path) -> str:
    if not file.is_file():
        raise CommandError(f"Không tìm thấy tệp {file}.")
    if file.stat().st_size > parsing.MAX_UPLOAD:
        raise CommandError(f"Tệp {file} quá lớn (tối đa {parsing.MAX_UPLOAD // 2**20} MB).")
    if file.suffix.lower() == ".docx":
        try:
            return parsing.read_docx(file)
        except parsing.Refused as error:
            raise CommandError(f"Không mở được tệp {file}. {error}") from None
        except Exception:  # python-docx raises several kinds for a damaged file
            raise CommandError(f"Không mở được tệp {file} (không phải tệp .docx hợp lệ hoặc tệp bị hỏng).") from None
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"Tệp {file} không phải văn bản UTF-8 (hãy lưu lại dạng UTF-8 hoặc .docx).") from None
    except OSError as error:
        raise CommandError(f"Không đọc được tệp {file}: {error.strerror or error}.") from None
