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
from openpyxl.utils import get_column_letter

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


COLUMNS = [
    Column("Tổ chức", lambda r: r.name, 45),
    Column("Loại", lambda r: r.get_kind_display(), 22),
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


def table(rows) -> list[list]:
    return [[column.value(row) for column in COLUMNS] for row in rows]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if is_formula_like(value):
        return "'" + value  # the usual mark that makes a spreadsheet read the cell as text
    return str(value)


def to_csv(rows) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that Excel reads the Vietnamese letters as UTF-8
    writer = csv.writer(buffer)
    writer.writerow([column.title for column in COLUMNS])
    writer.writerows([_csv_cell(value) for value in line] for line in table(rows))
    return buffer.getvalue()


def to_xlsx(rows, *, title: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([column.title for column in COLUMNS])
    for line in table(rows):
        sheet.append([None] * len(line))
        for index, value in enumerate(line, start=1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            cell.value = value
            if is_formula_like(value):
                cell.data_type = "s"  # stored as text, never evaluated
            elif isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.cell(row=1, column=index).font = openpyxl.styles.Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
