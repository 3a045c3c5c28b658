import pytest

from tests.regulations import texts


@pytest.fixture
def two_versions(import_text):
    """A's QCLV issued in 2025, then amended in 2026: one article modified, one inserted, one removed."""
    a = texts.ARTICLES
    first = import_text(
        texts.regulation_text(
            [a["scope"], a["principles"], a["btv"], a["secretary"], a["meetings"], a["implementation"]]
        )
    )
    modified_principles = (
        a["principles"][0],
        [
            "Bảo đảm nguyên tắc tập trung dân chủ, tập thể lãnh đạo, cá nhân phụ trách, "
            "đề cao trách nhiệm người đứng đầu.",
            "Mọi hoạt động tuân thủ Điều lệ Đảng và các quy định của Trung ương.",
        ],
    )
    second = import_text(
        texts.regulation_text(
            [a["scope"], modified_principles, a["relations"], a["btv"], a["secretary"], a["implementation"]],
            number="07-QC/ĐUK",
            date=(20, 3, 2026),
        ),
        regulation=first.regulation,
    )
    first.refresh_from_db()
    return first, second
