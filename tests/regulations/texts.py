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


# The parts a long regulation's articles are written from: each article a different mix, all in
# the same vocabulary, as one committee's rules read (similar enough that a cheap filter passes
# many pairs that are not the same article).
_BODIES = ["Ban Chấp hành", "Ban Thường vụ", "Thường trực Đảng ủy", "Bí thư", "Phó Bí thư", "Ủy ban Kiểm tra",
           "Văn phòng Đảng ủy", "Ban Tổ chức", "Ban Tuyên giáo", "các chi bộ trực thuộc", "cấp ủy viên",
           "đảng ủy cơ sở"]  # fmt: skip
_ACTS = ["lãnh đạo, chỉ đạo", "kiểm tra, giám sát", "hướng dẫn, đôn đốc", "quyết định", "tham mưu, đề xuất",
         "phối hợp thực hiện", "tổng hợp, báo cáo", "xem xét, cho ý kiến", "tổ chức quán triệt",
         "sơ kết, tổng kết"]  # fmt: skip
_TOPICS = ["công tác tổ chức, cán bộ", "công tác kiểm tra, giám sát", "công tác tuyên giáo", "công tác dân vận",
           "phòng, chống tham nhũng, lãng phí", "chuyển đổi số", "công tác bảo vệ chính trị nội bộ",
           "công tác đảng viên", "xây dựng tổ chức cơ sở đảng", "công tác thi đua, khen thưởng",
           "quản lý tài chính, tài sản của Đảng", "công tác văn thư, lưu trữ", "công tác đối ngoại",
           "công tác thông tin, báo cáo"]  # fmt: skip
_TAILS = ["bảo đảm đúng nguyên tắc tập trung dân chủ", "theo quy định của Trung ương và của Thành ủy",
          "định kỳ sáu tháng, một năm báo cáo kết quả", "kịp thời chấn chỉnh những hạn chế, khuyết điểm",
          "lắng nghe ý kiến của đảng viên và nhân dân", "trong phạm vi được phân cấp quản lý",
          "gắn với trách nhiệm của người đứng đầu", "theo chương trình công tác toàn khóa"]  # fmt: skip


def long_articles(count: int, *, seed: int = 13) -> list[tuple[str, list[str]]]:
    """`count` articles of one to five clauses, their headings drawn from a few hundred (some repeat)."""
    import random

    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        topic = rng.choice(_TOPICS)
        duty = rng.choice(["Trách nhiệm", "Nhiệm vụ", "Quyền hạn", "Chế độ"])
        heading = f"{duty} của {rng.choice(_BODIES)} về {topic}"
        clauses = [
            f"{rng.choice(_BODIES)} {rng.choice(_ACTS)} {rng.choice(_TOPICS)} và {topic}, {rng.choice(_TAILS)}; "
            f"{rng.choice(_ACTS)} {rng.choice(_BODIES)} {rng.choice(_TAILS)}."
            for _ in range(rng.randint(1, 5))
        ]
        articles.append((heading, clauses))
    return articles


def long_revision(articles, *, seed: int = 7, reworded: int = 30):
    """The articles of a new version of `articles`, and for each the index of the old one it continues.

    Ten removed, ten inserted, `reworded` reworded (a phrase changed, a clause added or dropped),
    six moved far (three as they were, three reworded), three rewritten under their old heading (a
    new article for the comparison, as nothing of the old text is left).
    """
    import random

    rng = random.Random(seed)
    rows = [(index, heading, list(clauses)) for index, (heading, clauses) in enumerate(articles)]
    for index in sorted(rng.sample(range(len(rows)), 10), reverse=True):
        del rows[index]
    picked = rng.sample(range(len(rows)), reworded + 9)
    rewritten, moved = picked[reworded : reworded + 3], picked[reworded + 3 :]
    for position in picked[:reworded] + moved[3:]:
        origin, heading, clauses = rows[position]
        clause = rng.randrange(len(clauses))
        change = rng.choice(["phrase", "add", "drop"] if len(clauses) > 2 else ["phrase", "add"])
        if change == "phrase":
            clauses[clause] = clauses[clause].replace(",", ", kịp thời", 1).replace(";", "; đồng thời", 1)
        elif change == "add":
            clauses.insert(clause, "Báo cáo cấp ủy cấp trên kết quả thực hiện trước ngày 15 tháng 12 hằng năm.")
        else:
            del clauses[clause]
    for position in rewritten:
        rows[position] = (None, rows[position][1], [
            f"Nội dung này thực hiện theo Hướng dẫn số {n}-HD/VPTW của Văn phòng Trung ương Đảng." for n in (31, 47)
        ])  # fmt: skip
    taken = [rows[position] for position in moved]
    rows = [row for position, row in enumerate(rows) if position not in moved]
    for row in taken:
        rows.insert(rng.randrange(len(rows) + 1), row)
    for heading, clauses in long_articles(10, seed=seed + 1):
        rows.insert(rng.randrange(len(rows) + 1), (None, heading.replace("về", "đối với"), clauses))
    return [(heading, clauses) for _, heading, clauses in rows], [origin for origin, _, _ in rows]
