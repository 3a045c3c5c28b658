"""What every page shares: a form's errors are shown once."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NON_FIELD_ERRORS = re.compile(r"\{\{\s*([\w.]+)\.non_field_errors\s*\}\}")


def test_no_template_shows_a_forms_errors_twice():
    """`form.as_div` (and `as_p`, `as_table`, `as_ul`) already starts with the form's non-field errors."""
    twice = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for form in NON_FIELD_ERRORS.findall(text):
            if re.search(r"\{\{\s*" + re.escape(form) + r"\.as_(?:div|p|table|ul)\s*\}\}", text):
                twice.append(f"{path.relative_to(TEMPLATES)}: {form}")
    assert twice == []
