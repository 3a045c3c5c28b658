"""Sổ đăng ký văn bản: the register of the numbers each organization gives its documents.

Each organization numbers each series (QC, QĐ, NQ, TTr…) anew every year. A number is taken from
the series' counter under a row lock, reserved when issuance starts and confirmed when it ends;
one that will not be used is cancelled with a reason and stays in the register, so the numbers
handed out have no gaps and none is given twice. Texts issued elsewhere and imported here are
recorded at their own numbers (`number_record`).
"""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from organizations.models import Organization

from .access import can_keep_numbers
from .models import (
    DOCUMENT_CODE,
    ISSUED_STATUSES,
    NumberSeries,
    NumberStatus,
    RegisteredNumber,
    Version,
    normalize_number,
)

_NUMBER = re.compile(r"^0*(\d{1,6})-([^\s/-]+)/(\S+)$")


def parse_number(number: str) -> tuple[int, str] | None:
    """ "25-QC/TU" → (25, "QC"); None for a number written otherwise ("Số 25/QĐ-TU", "QC 25")."""
    match = _NUMBER.match(normalize_number(number))
    if match is None or int(match.group(1)) == 0:
        return None
    return int(match.group(1)), match.group(2)


def format_number(sequence: int, code: str, organization: Organization) -> str:
    return f"{sequence:02d}-{code}/{organization.symbol}"


def next_free(*, organization: Organization, code: str, year: int) -> str:
    """The number the series would give next (for a form or a preview; nothing is reserved): the one
    `number_reserve` would take now."""
    last = NumberSeries.objects.filter(organization=organization, year=year, code=code).values_list("last", flat=True)
    return format_number(_first_free(organization, code, year, last.first() or 0), code, organization)


def _first_free(organization: Organization, code: str, year: int, last: int) -> int:
    """The first sequence past the series' counter `last` that the register does not hold: numbers recorded from
    imported texts may sit above the counter. One query, however many are taken."""
    taken = set(
        RegisteredNumber.objects.filter(organization=organization, year=year, code=code, sequence__gt=last)
        .values_list("sequence", flat=True)
    )  # fmt: skip
    sequence = last + 1
    while sequence in taken:
        sequence += 1
    return sequence


def _require_office(user, organization: Organization) -> None:
    if user is not None and not can_keep_numbers(user, organization):
        raise PermissionDenied("Chỉ văn phòng cấp ủy giữ, hủy số văn bản trong sổ đăng ký.")


def _locked_series(organization: Organization, code: str, year: int) -> NumberSeries:
    # Created on first use; two first uses at once meet at the unique constraint and get_or_create reads the
    # other's row. The lock then makes whoever comes second wait until the first commits or rolls back.
    NumberSeries.objects.get_or_create(organization=organization, year=year, code=code)
    return NumberSeries.objects.select_for_update().get(organization=organization, year=year, code=code)


@transaction.atomic
def number_reserve(
    *, organization: Organization, code: str, year: int, title: str, user, version: Version | None = None
) -> RegisteredNumber:
    """Take the series' next number and hold it for a document being issued. `user` None: the system."""
    _require_office(user, organization)
    series = _locked_series(organization, code, year)
    sequence = _first_free(organization, code, year, series.last)
    series.last = sequence
    series.save(update_fields=["last"])
    return RegisteredNumber.objects.create(
        organization=organization, year=year, code=code, sequence=sequence,
        number=format_number(sequence, code, organization), status=NumberStatus.RESERVED, title=title.strip(),
        version=version, reserved_at=timezone.now(), reserved_by=user,
    )  # fmt: skip


@transaction.atomic
def number_confirm(
    *, entry: RegisteredNumber, issued: datetime.date, signer: str, title: str | None = None,
    version: Version | None = None,
) -> RegisteredNumber:  # fmt: skip
    """The document bearing the number is issued: the register records its date and signer."""
    entry = RegisteredNumber.objects.select_for_update().get(pk=entry.pk)
    if entry.status != NumberStatus.RESERVED:
        raise ValidationError(f"Số {entry.number} không còn được giữ ({entry.get_status_display().lower()}).")
    if issued.year != entry.year:
        raise ValidationError(
            {"issued": f"Số {entry.number} thuộc sổ năm {entry.year}; văn bản ban hành năm {issued.year} cần số "
             f"của năm {issued.year}: hãy hủy số đã giữ (ghi lý do) rồi lấy số mới."}
        )  # fmt: skip
    entry.status, entry.confirmed_at = NumberStatus.CONFIRMED, timezone.now()
    entry.issued, entry.signer = issued, signer
    if title is not None:
        entry.title = title.strip()
    if version is not None:
        entry.version = version
    entry.save(update_fields=["status", "issued", "signer", "confirmed_at", "title", "version"])
    return entry


@transaction.atomic
def number_cancel(*, entry: RegisteredNumber, user, reason: str) -> RegisteredNumber:
    """A reserved number that will not be used: kept in the register as cancelled, with why, never given again."""
    _require_office(user, entry.organization)
    entry = RegisteredNumber.objects.select_for_update().get(pk=entry.pk)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Cần ghi rõ lý do hủy số."})
    if entry.status != NumberStatus.RESERVED:
        raise ValidationError(f"Chỉ hủy được số đang giữ; số {entry.number} {entry.get_status_display().lower()}.")
    entry.status, entry.cancelled_at, entry.cancelled_by, entry.cancel_reason = (
        NumberStatus.CANCELLED, timezone.now(), user, reason
    )  # fmt: skip
    entry.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    return entry


def reserved_for(version: Version) -> RegisteredNumber | None:
    return RegisteredNumber.objects.filter(version=version, status=NumberStatus.RESERVED).first()


@transaction.atomic
def version_number_reserve(*, version: Version, user, on: datetime.date | None = None) -> RegisteredNumber:
    """Issuance of a draft starts: its number is taken from its series and held for it (once)."""
    held = reserved_for(version)
    if held is not None:
        return held
    year = (on or timezone.localdate()).year
    return number_reserve(
        organization=version.issuing_organization, code=DOCUMENT_CODE[version.kind], year=year,
        title=version.regulation.title, user=user, version=version,
    )  # fmt: skip


def _taken_by(organization, year, code, sequence) -> RegisteredNumber | None:
    return RegisteredNumber.objects.filter(organization=organization, year=year, code=code, sequence=sequence).first()


@transaction.atomic
def number_record(*, version: Version) -> RegisteredNumber | None:
    """An issued text that came with its number (imported): recorded at that number, confirmed.

    None when the number cannot be read as a series number (the register page lists such texts).
    A number the register has reserved or cancelled is refused: it belongs to another document.
    """
    parsed = parse_number(version.number)
    if parsed is None or version.issued is None:
        return None
    sequence, code = parsed
    organization, year = version.issuing_organization, version.issued.year
    series = _locked_series(organization, code, year)
    existing = _taken_by(organization, year, code, sequence)
    if existing is not None:
        if existing.version_id == version.pk:
            return existing
        raise ValidationError(
            {"number": f"Số {existing.number} trong sổ đăng ký văn bản năm {year} "
             f"{existing.get_status_display().lower()}" + (f" cho “{existing.title}”." if existing.title else ".")}
        )  # fmt: skip
    if sequence > series.last:
        series.last = sequence
        series.save(update_fields=["last"])
    return RegisteredNumber.objects.create(
        organization=organization, year=year, code=code, sequence=sequence, number=version.number,
        status=NumberStatus.CONFIRMED, title=version.regulation.title, version=version,
        issued=version.issued, signer=version.signer_name, recorded=True, confirmed_at=timezone.now(),
    )  # fmt: skip


# Reads ------------------------------------------------------------------------------------------


def register_of(organization: Organization, year: int) -> list[RegisteredNumber]:
    """Every number of the year, series by series, in order; with who reserved and cancelled them."""
    return list(
        RegisteredNumber.objects.filter(organization=organization, year=year)
        .select_related("reserved_by", "cancelled_by")
        .order_by("code", "sequence")
    )


def register_years(organization: Organization) -> list[int]:
    return list(
        RegisteredNumber.objects.filter(organization=organization)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def unregistered_versions(organization: Organization, year: int) -> list[Version]:
    """Texts the organization issued that year whose number is not in the register (it could not be read)."""
    registered = RegisteredNumber.objects.filter(version=OuterRef("pk"))
    return list(
        Version.objects.without_source()
        .filter(issuing_organization=organization, issued_year=year, status__in=ISSUED_STATUSES)
        .exclude(number="")
        .filter(~Exists(registered))
        .select_related("regulation")
        .order_by("issued", "pk")
    )
