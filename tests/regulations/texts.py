"""Regulation texts for tests, written the way the corpus writes them."""

from pathlib import Path

# Copies of the public texts in shared/corpus, kept with the tests so a clone is self-sufficient.
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CONG_HAI = "01-QD-DU-2025_QuyDinh-VanPhong-DangUy-xa-CongHai.txt"
GOVERNMENT = "191-2026-ND-CP_QCLV-ChinhPhu.txt"
AMENDING = "241-2026-ND-CP_SuaDoi-ND165-2024_clean.txt"
OCR = "241-2026-ND-CP_SuaDoi-ND165-2024_ocr.txt"


def corpus(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


ARTICLES = {
    "scope": (
        "Phạm vi điều chỉnh",
        ["Quy chế này quy định nguyên tắc, chế độ làm việc của Ban Chấp hành Đảng bộ Khối."],
    ),
    "principles": (
        "Nguyên tắc làm việc",
        [
            "Bảo đảm nguyên tắc tập trung dân chủ, tập thể lãnh đạo, cá nhân phụ trách.",
            "Mọi hoạt động tuân thủ Điều lệ Đảng và các quy định của Trung ương.",
        ],
    ),
    "btv": (
        "Trách nhiệm, quyền hạn của Ban Thường vụ",
        [
            "Lãnh đạo, chỉ đạo thực hiện nghị quyết của Ban Chấp hành giữa hai kỳ họp.",
            "Quyết định các vấn đề về công tác tổ chức, cán bộ theo phân cấp quản lý.",
        ],
    ),
    "secretary": (
        "Trách nhiệm của Bí thư",
        ["Chủ trì các hội nghị của Ban Chấp hành, Ban Thường vụ và chịu trách nhiệm chung về công tác của Đảng bộ."],
    ),
    "meetings": (
        "Chế độ họp",
        [
            "Ban Chấp hành họp thường lệ ba tháng một lần, Ban Thường vụ họp mỗi tháng một lần.",
            "Tài liệu hội nghị được gửi trước cho các đồng chí ủy viên ít nhất ba ngày làm việc.",
        ],
    ),
    "relations": (
        "Quan hệ công tác với Thành ủy",
        ["Ban Thường vụ báo cáo định kỳ sáu tháng, một năm với Ban Thường vụ Thành ủy về việc thực hiện quy chế."],
    ),
    "implementation": (
        "Tổ chức thực hiện",
        ["Văn phòng Đảng ủy Khối giúp Ban Thường vụ theo dõi, đôn đốc việc thực hiện quy chế này."],
    ),
}


def regulation_text(articles, *, number="01-QC/ĐUK", date=(15, 9, 2025), chapters=True) -> str:
    """A complete text: letterhead, bases, enacting sentence, articles (in two chapters), signature."""
    day, month, year = date
    lines = [
        "ĐẢNG BỘ THÀNH PHỐ CẦN THƠ",
        "ĐẢNG ỦY KHỐI CƠ QUAN DÂN CHÍNH ĐẢNG",
        "*",
        f"Số: {number}" if number else "",
        "",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        f"Cần Thơ, ngày {day} tháng {month} năm {year}",
        "",
        "QUY CHẾ LÀM VIỆC",
        "của Ban Chấp hành Đảng bộ Khối nhiệm kỳ 2025 - 2030",
        "-----",
        "",
        "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "- Căn cứ Quy định số 232-QĐ/TW ngày 20/01/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
        "",
        "Ban Chấp hành Đảng bộ Khối ban hành Quy chế làm việc như sau:",
    ]
    half = (len(articles) + 1) // 2
    for index, (title, clauses) in enumerate(articles, start=1):
        if chapters and index == 1:
            lines += ["", "Chương I", "NHỮNG QUY ĐỊNH CHUNG"]
        if chapters and index == half + 1:
            lines += ["", "Chương II", "TỔ CHỨC THỰC HIỆN"]
        lines += ["", f"Điều {index}. {title}"]
        if len(clauses) == 1:
            lines.append(clauses[0])
        else:
            lines += [f"{n}. {clause}" for n, clause in enumerate(clauses, start=1)]
    lines += [
        "",
        "Nơi nhận:",
        "- Ban Thường vụ Thành ủy (để báo cáo);",
        "- Lưu Văn phòng Đảng ủy Khối.",
        "",
        "T/M BAN CHẤP HÀNH",
        "BÍ THƯ",
        "",
        "Nguyễn Văn Long",
    ]
    return "\n".join(lines) + "\n"


def numbered_articles(count: int):
    """`count` distinct articles with two clauses each, for size tests."""
    return [
        (
            f"Nhiệm vụ số {n} của Ban Thường vụ",
            [
                f"Lãnh đạo công tác chuyên đề thứ {n} về xây dựng Đảng trong các cơ quan khối dân chính đảng.",
                f"Kiểm tra, giám sát việc thực hiện chuyên đề thứ {n} và báo cáo Ban Chấp hành định kỳ.",
            ],
        )
        for n in range(1, count + 1)
    ]
