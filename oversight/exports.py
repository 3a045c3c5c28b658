"""The dashboard's rows as files a superior opens in Excel: CSV and XLSX, the same rows as the screen.

Dates are real dates (dd/mm/yyyy), counted in Hà Nội time; a text cell that a spreadsheet would run
as a formula (starting with = + - @, a tab or a carriage return) is written as text, so an
organization named "=HYPERLINK(...)" stays a name.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from organizations.models import OrganizationKind

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class Column:
    title: str
    value: Any  # row -> str | int | datetime.date | None
    width: int


def _day(value) -> datetime.date | None:
    """A day as the reader counts it: an aware datetime in Hà Nội time, a date as it is."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


KIND_LABELS = dict(OrganizationKind.choices)  # looked up, not `get_kind_display()`: that costs per row

COLUMNS = [
    Column("Tổ chức", lambda r: r.name, 45),
    Column("Loại", lambda r: KIND_LABELS[r.kind], 22),
    Column("Trực thuộc", lambda r: r.parent.name if r.parent else "", 40),
    Column("Quy chế làm việc hiện hành", lambda r: "Có" if r.current_rules else "Chưa có", 14),
    Column("Số, ký hiệu", lambda r: r.rules_number or "", 16),
    Column("Ngày ban hành", lambda r: _day(r.rules_issued), 14),
    Column(
        "Quy chế làm việc của UBKT",
        lambda r: ("Có" if r.inspection_rules else "Chưa có") if r.has_inspection_body else "",
        14,
    ),
    Column("Sửa đổi gần nhất", lambda r: _day(r.last_amended), 14),
    Column("Hạn rà soát", lambda r: _day(r.next_review_on), 14),
    Column("Số ngày quá hạn", lambda r: r.days_overdue or None, 10),
    Column("Đang sửa đổi ở bước", lambda r: r.open_stage or "", 30),
    Column("Ý kiến chưa trả lời", lambda r: r.answers_waiting, 10),
    Column("Mức phù hợp quy chế mẫu (%)", lambda r: r.conformance, 12),
    Column("Kết luận kiểm tra chưa khắc phục", lambda r: r.findings_open, 12),
    Column("Cần rà soát do căn cứ thay đổi", lambda r: "Có" if r.review_basis else "", 12),
]


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def table(rows):
    """The cells of each row, one list per row, as the rows come."""
    for row in rows:
        yield [column.value(row) for column in COLUMNS]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if is_formula_like(value):
        return "'" + value  # the usual mark that makes a spreadsheet read the cell as text
    return str(value)


def csv_chunks(rows, *, rows_per_chunk: int = 500):
    """The CSV file in pieces of `rows_per_chunk` rows, as the rows come: sent as it is written."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that Excel reads the Vietnamese letters as UTF-8
    writer = csv.writer(buffer)
    writer.writerow([column.title for column in COLUMNS])
    for number, line in enumerate(table(rows), start=1):
        writer.writerow([_csv_cell(value) for value in line])
        if number % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_xlsx(rows, *, title: str) -> bytes:
    """The workbook, written row by row (openpyxl's write-only mode): memory does not follow the rows' number."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = openpyxl.styles.Font(bold=True)
    sheet.append([_xlsx_cell(sheet, column.title, font=bold) for column in COLUMNS])
    written = 0
    for line in table(rows):
        sheet.append([_xlsx_cell(sheet, value) for value in line])
        written += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{written + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, *, font=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if is_formula_like(value):
        cell.data_type = "s"  # stored as text, never evaluated
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell
