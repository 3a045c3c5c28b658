"""How the party's papers write a date and an issuing body, one way on the page and in the PDF.

Hướng dẫn 36-HD/VPTW (thể thức văn bản của Đảng) writes the date of issue in full with Arabic numerals,
a day below 10 and the months 1 and 2 with a leading zero (so that nobody can add a digit in front of
them), the other months as they are: its own heading reads "Hà Nội, ngày 03 tháng 4 năm 2018", and
01-HD/VPTW's "ngày 02 tháng 02 năm 1998".
"""

import datetime

from django import template

NBSP = "\u00a0"

register = template.Library()


@register.filter
def paper_date(day: datetime.date | None) -> str:
    """ "ngày 03 tháng 4 năm 2018", "ngày 10 tháng 02 năm 2026"; nothing for no date."""
    if not day:
        return ""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@register.filter
def unbroken_end(name: str) -> str:
    """The name with its last two words held together, so that a line break never leaves one word alone
    on the last line ("… THÀNH PHỐ CẦN / THƠ" becomes "… THÀNH PHỐ / CẦN THƠ")."""
    words = (name or "").split()
    if len(words) < 3:
        return " ".join(words)
    return " ".join(words[:-2]) + " " + NBSP.join(words[-2:])
