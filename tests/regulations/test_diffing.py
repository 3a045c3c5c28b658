"""The compare engine: word diffs of Vietnamese text, and pairing the articles of two versions."""

from dataclasses import replace

from regulations.diffing import Item, compare_items, diff_html, similarity, tokenize, word_diff

SENTENCES = [
    (
        "Văn phòng Đảng ủy xã có trụ sở làm việc, có con dấu; được cấp kinh phí theo quy định.",
        "Văn phòng Đảng uỷ xã có trụ sở riêng, có con dấu và tài khoản; được cấp kinh phí hoạt động.",
    ),
    (
        "Điều 5. Trách nhiệm của Ban Thường vụ (khóa XII, nhiệm kỳ 2020 - 2025):",
        "Điều 6. Trách nhiệm, quyền hạn của Ban Thường vụ (khoá XIII, nhiệm kỳ 2025–2030).",
    ),
    ("", "Bổ sung khoản 1a vào sau khoản 1."),
    ("Bãi bỏ điểm d khoản 1 Điều 17.", ""),
]


def rebuild(ops, kinds):
    return "".join(text for kind, text in ops if kind in kinds)


def test_it_tokenizes_syllables_numbers_and_punctuation():
    text = "Ngày 09/6/2025, Ban Bí thư ban hành “Quy định 299-QĐ/TW”."
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert tokens[:6] == ["Ngày", " ", "09", "/", "6", "/"]
    assert "“" in tokens and "”" in tokens and "-" in tokens


def test_it_rebuilds_both_texts_from_the_word_diff():
    for old, new in SENTENCES:
        ops = word_diff(old, new)
        assert rebuild(ops, {"equal", "delete"}) == old
        assert rebuild(ops, {"equal", "insert"}) == new
        assert all(kind in {"equal", "insert", "delete"} and text for kind, text in ops)
        assert all(first[0] != second[0] for first, second in zip(ops, ops[1:], strict=False))


def test_it_reads_a_rewritten_phrase_as_one_change():
    ops = word_diff("có trụ sở làm việc riêng, có con dấu", "có trụ sở hoạt động chung, có con dấu")
    assert ops == [
        ("equal", "có trụ sở "),
        ("delete", "làm việc riêng"),
        ("insert", "hoạt động chung"),
        ("equal", ", có con dấu"),
    ]


def test_it_parts_a_deleted_phrase_from_the_one_that_replaces_it_with_a_space():
    old, new = "Văn phòng báo cáo Ban Thường vụ.", "Văn phòng chuẩn bị tài liệu."
    ops = word_diff(old, new)
    assert ops == [
        ("equal", "Văn phòng "),
        ("delete", "báo cáo Ban Thường vụ"),
        ("insert", "chuẩn bị tài liệu"),
        ("equal", "."),
    ]
    # Read as displayed: "Ban Thường vụ chuẩn bị", never "Ban Thường vụchuẩn bị".
    assert diff_html(ops) == "Văn phòng <del>báo cáo Ban Thường vụ</del> <ins>chuẩn bị tài liệu</ins>."
    assert rebuild(ops, {"equal", "delete"}) == old
    assert rebuild(ops, {"equal", "insert"}) == new


def test_it_keeps_the_spaces_of_words_changed_inside_a_sentence():
    old = "Văn phòng tham mưu giúp Thường trực Đảng ủy chuẩn bị nội dung các hội nghị."
    new = "Văn phòng tham mưu giúp Ban Thường vụ chuẩn bị nội dung các hội nghị."
    assert diff_html(word_diff(old, new)) == (
        "Văn phòng tham mưu giúp <ins>Ban </ins>Thường <del>trực Đảng ủy</del> <ins>vụ</ins> "
        "chuẩn bị nội dung các hội nghị."
    )
    old, new = "Tài liệu được gửi trước ba ngày làm việc.", "Tài liệu được gửi trước năm ngày làm việc."
    assert diff_html(word_diff(old, new)) == "Tài liệu được gửi trước <del>ba</del> <ins>năm</ins> ngày làm việc."


def test_it_adds_no_space_between_changed_punctuation():
    old = "Ban Thường vụ họp mỗi tháng một lần, Ban Chấp hành họp ba tháng một lần."
    new = "Ban Thường vụ họp mỗi tháng một lần; Ban Chấp hành họp ba tháng một lần."
    assert diff_html(word_diff(old, new)) == (
        "Ban Thường vụ họp mỗi tháng một lần<del>,</del><ins>;</ins> Ban Chấp hành họp ba tháng một lần."
    )


def test_it_ignores_spelling_variants_in_similarity():
    assert similarity("Ủy ban kiểm tra hoá đơn", "Uỷ ban kiểm tra hóa đơn") == 1.0
    assert similarity("", "") == 1.0
    assert similarity("Ban Thường vụ họp định kỳ", "Chi bộ sinh hoạt thường kỳ") < 0.5


def test_it_escapes_html():
    html = diff_html(word_diff("Nội dung cũ", "Nội dung <script>alert(1)</script> & mới"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html
    assert html.startswith("Nội dung <del>cũ</del><ins>")


# A small regulation and its second version: Điều 2 modified, a new Điều 1 inserted, the old
# Điều 5 removed, every other article renumbered.
ARTICLES = {
    "scope": ("Phạm vi điều chỉnh", "Quy chế này quy định chế độ làm việc của Ban Chấp hành Đảng bộ xã."),
    "duties": ("Trách nhiệm của Ban Thường vụ", "Ban Thường vụ lãnh đạo, chỉ đạo thực hiện nghị quyết giữa hai kỳ."),
    "meetings": ("Chế độ họp", "Ban Chấp hành họp thường lệ ba tháng một lần; họp bất thường khi cần."),
    "documents": ("Tài liệu hội nghị", "Tài liệu được gửi trước ít nhất ba ngày làm việc cho các ủy viên."),
    "effect": ("Hiệu lực thi hành", "Quy chế có hiệu lực từ ngày ký; các quy định trái với Quy chế này bị bãi bỏ."),
}
NEW_ARTICLE = ("Giải thích từ ngữ", "Vấn đề quan trọng, nhạy cảm là vấn đề liên quan đến quốc phòng, an ninh.")
DUTIES_AMENDED = (
    "Trách nhiệm của Ban Thường vụ",
    "Ban Thường vụ lãnh đạo, chỉ đạo và kiểm tra việc thực hiện nghị quyết giữa hai kỳ.",
)


def versions(with_keys: bool):
    def item(key, label, content):
        return Item(key=key if with_keys else None, label=label, heading=content[0], text=content[1])

    old = [item(key, str(n), content) for n, (key, content) in enumerate(ARTICLES.items(), start=1)]
    new = [
        item(None, "1", NEW_ARTICLE),
        item("scope", "2", ARTICLES["scope"]),
        item("duties", "3", DUTIES_AMENDED),
        item("meetings", "4", ARTICLES["meetings"]),
        item("documents", "5", ARTICLES["documents"]),
    ]
    return old, new


def summary(changes):
    return [(change.change, change.old_label, change.new_label) for change in changes]


EXPECTED = [
    ("added", None, "1"),
    ("renumbered", "1", "2"),
    ("modified", "2", "3"),
    ("renumbered", "3", "4"),
    ("renumbered", "4", "5"),
    ("removed", "5", None),
]


def test_it_pairs_articles_by_content():
    old, new = versions(with_keys=False)
    changes = compare_items(old, new)
    assert summary(changes) == EXPECTED
    modified = changes[2]
    assert [text.strip() for kind, text in modified.ops if kind != "equal"] == ["và kiểm tra việc"]
    assert all(change.ops == [] for change in changes if change.change != "modified")


def test_it_pairs_articles_by_key():
    old, new = versions(with_keys=True)
    assert summary(compare_items(old, new)) == EXPECTED


def test_it_pairs_a_rewritten_article_by_its_key_only():
    old = [Item("duties", "2", "Trách nhiệm", "Ban Thường vụ lãnh đạo giữa hai kỳ họp.")]
    new = [Item("duties", "2", "Nhiệm vụ, quyền hạn", "Quyết định những vấn đề về tổ chức, cán bộ theo phân cấp.")]
    assert summary(compare_items(old, new)) == [("modified", "2", "2")]
    unkeyed = [replace(item, key=None) for item in old], [replace(item, key=None) for item in new]
    assert summary(compare_items(*unkeyed)) == [("removed", "2", None), ("added", None, "2")]


def test_it_never_pairs_by_label_alone():
    old = [Item(None, "3", "Chế độ họp", "Ban Chấp hành họp thường lệ ba tháng một lần.")]
    new = [Item(None, "3", "Khen thưởng", "Tổ chức đảng có thành tích xuất sắc được biểu dương kịp thời.")]
    assert summary(compare_items(old, new)) == [("removed", "3", None), ("added", None, "3")]


def test_it_treats_spelling_variants_as_unchanged():
    old = [Item(None, "7", "Ủy ban Kiểm tra", "Uỷ ban Kiểm tra thực hiện nhiệm vụ theo Điều lệ; hoá đơn, chứng từ.")]
    new = [Item(None, "7", "Uỷ ban Kiểm tra", "Ủy ban Kiểm tra thực hiện nhiệm vụ theo Điều lệ; hóa đơn, chứng từ.")]
    [change] = compare_items(old, new)
    assert (change.change, change.ops) == ("unchanged", [])


def test_it_places_a_removed_first_article_at_the_start():
    old = [Item(None, "1", "Giải thích từ ngữ", NEW_ARTICLE[1]), Item(None, "2", *ARTICLES["scope"])]
    new = [Item(None, "1", *ARTICLES["scope"])]
    assert summary(compare_items(old, new)) == [("removed", "1", None), ("renumbered", "2", "1")]
