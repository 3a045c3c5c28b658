"""The consultation copy in Word (bản lấy ý kiến) and the copies members send back.

The copy is the draft with every change from the text in force tracked (regulations/tracked.py), each by
the person who made it (the ArticleChange's author) with its reason as a Word comment. A member edits it in
Word with Track Changes on and adds comments; the returned copy is read here into opinions on the passages
they touched: a tracked change becomes a suggested wording (`Comment.suggestion`) for the article, clause or
point it lies in, a Word comment a comment on its passage (or the reason of the suggestion on the same
passage). Our own changes and comments are told from theirs by author and date, which Word keeps.

A copy names the dossier, the draft and a digest of the draft's text in its custom properties; a copy of
another draft, or of this draft before it was changed, is refused: its passages no longer read as it shows them.
"""

import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from lxml import etree

from regulations import diffing, tracked, word
from regulations.parsing.docx import open_docx
from regulations.parsing.limits import MAX_UPLOAD, Refused, megabytes
from regulations.selectors import provision_tree

from .models import SuggestionKind
from .passages import clean_wording, passages_of

REASON_FROM_WORD = "Đề nghị sửa trong bản Word gửi lại."
QUOTE_MAX = 300  # characters of a commented passage quoted in the comment


def person(user) -> str:
    return (user.get_full_name() or user.username) if user else "Văn phòng"


def authorship(amendment) -> tracked.Authorship:
    """Who made each change of the draft (the last to change an article signs its changes) and every reason."""
    authorship = tracked.Authorship(default=word.Revision(person(amendment.created_by), amendment.created_at))
    for change in amendment.changes.select_related("author").order_by("at", "pk"):
        by = word.Revision(person(change.author), change.at)
        authorship.by_key[change.article_key] = by
        note = tracked.Note(by, f"{change.get_kind_display()}: {change.reason}")
        authorship.notes.setdefault(change.article_key, []).append(note)
    return authorship


def consultation_copy(amendment, *, line_numbers: bool = False) -> bytes:
    """The draft with its changes from the text in force tracked; a new text (none in force) as it stands."""
    base = amendment.base_version or amendment.draft
    return tracked.render_tracked_docx(
        base, amendment.draft, authorship=authorship(amendment), line_numbers=line_numbers,
        properties={tracked.AMENDMENT_PROPERTY: str(amendment.pk), tracked.DRAFT_PROPERTY: str(amendment.draft_id),
                    tracked.BASE_PROPERTY: str(base.pk)},
    )  # fmt: skip


def consultation_copy_filename(amendment) -> str:
    return f"ban-lay-y-kien-ho-so-{amendment.pk}.docx"


# Reading a returned copy -----------------------------------------------------------------------------------


@dataclass
class Opinion:
    """One opinion read from a returned copy, before it is saved: a suggested wording, or a comment."""

    key: str  # the passage's key (article, clause or point); "" for the draft as a whole
    place: str  # "khoản 2 Điều 4", "Điều 4", "toàn văn"
    text: str  # the comment, or the suggestion's reason
    suggestion: str = ""  # SuggestionKind; "" for a comment
    proposed_text: str = ""
    base_text: str = ""

    @property
    def kind_label(self) -> str:
        return SuggestionKind(self.suggestion).label if self.suggestion else "Ý kiến"

    @property
    def passage_key(self) -> uuid.UUID | None:
        return uuid.UUID(self.key) if self.key else None

    @property
    def change(self):
        """The suggestion word by word against the passage (marked up, safe), as the draft page shows one."""
        if self.suggestion == SuggestionKind.REMOVE:
            return diffing.diff_markup([("delete", self.base_text)])
        return diffing.diff_markup(diffing.word_diff(self.base_text, self.proposed_text))

    def as_dict(self) -> dict:
        return asdict(self)


def read_returned_copy(upload, *, amendment) -> list[Opinion]:
    """The opinions in a copy of the consultation copy edited in Word. Raises Refused with the reason."""
    if upload.size > MAX_UPLOAD:
        raise Refused(f"Tệp quá lớn: {megabytes(upload.size)} (tối đa {megabytes(MAX_UPLOAD)}).")
    if not upload.name.lower().endswith(".docx"):
        raise Refused("Chỉ nhận tệp Word .docx (bản lấy ý kiến đã tải về rồi góp ý).")
    try:
        document = open_docx(upload)
    except Refused:
        raise
    except Exception as error:  # python-docx raises several kinds for a damaged file
        raise Refused("Không mở được tệp .docx này. Hãy kiểm tra lại tệp.") from error
    tree = provision_tree(amendment.draft)
    _check_identity(_custom_properties(document), amendment, tree)
    return _Reader(document, amendment, tree).opinions()


def _custom_properties(document) -> dict[str, str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for relationship in document.part.package.rels.values():
        if relationship.reltype == word.CUSTOM_PROPERTIES_TYPE and not relationship.is_external:
            try:
                root = etree.fromstring(relationship.target_part.blob, parser=parser)
            except etree.XMLSyntaxError:
                return {}
            return {node.get("name"): "".join(node.itertext()).strip() for node in root}
    return {}


def _check_identity(properties: dict, amendment, tree) -> None:
    if tracked.DRAFT_PROPERTY not in properties:
        raise Refused(
            "Tệp này không phải bản lấy ý kiến tải từ hệ thống (không có thông tin nhận diện dự thảo). "
            "Hãy tải “Bản lấy ý kiến (Word)” của dự thảo, góp ý trên bản đó rồi gửi lại."
        )
    if properties.get(tracked.DRAFT_PROPERTY) != str(amendment.draft_id):
        raise Refused(
            "Tệp này là bản lấy ý kiến của một dự thảo khác, không phải của hồ sơ này. "
            "Hãy gửi đúng bản đã tải từ trang của dự thảo này."
        )
    if properties.get(tracked.DIGEST_PROPERTY) != tracked.text_digest(tree):
        raise Refused(
            "Bản lấy ý kiến này đã cũ: dự thảo đã được sửa sau khi tải bản này về. "
            "Hãy tải bản lấy ý kiến mới và ghi lại ý kiến trên bản mới."
        )


class _Reader:
    def __init__(self, document, amendment, tree):
        self.document = document
        self.body = document.element.body
        self.passages = passages_of(tree)
        ours = authorship(amendment).revisions()

        def ours_only(revision) -> bool:
            return (revision.get(word.w("author"), ""), revision.get(word.w("date"), "")) in ours

        self.draft_view = ours_only  # the copy as it was sent: our changes accepted, theirs undone
        self.ours = ours

    def opinions(self) -> list[Opinion]:
        paragraphs = tracked.body_paragraphs(self.body)
        owner = self._owners(paragraphs)
        comments = self._their_comments(paragraphs, owner)
        changed = {owner[index] for index, p in enumerate(paragraphs) if self._changed_by_them(p)}
        changed = {key for key in changed if not any(a in changed for a in self._above(key))}
        opinions = []
        for key in sorted(changed, key=lambda k: self._order(k)):
            region = [p for index, p in enumerate(paragraphs) if self._within(owner[index], key)]
            said = [text for place, text in comments if place is not None and key in self._chain(place)]
            comments = [(place, text) for place, text in comments if place is None or key not in self._chain(place)]
            opinions.append(self._suggestion(key, region, said))
        opinions += [self._opinion(place, text) for place, text in comments]
        return opinions

    # Which passage each paragraph lies in -------------------------------------------------------------------

    def _owners(self, paragraphs) -> list:
        """For each paragraph, the key of the innermost passage whose bookmark spans it; a paragraph outside
        every bookmark (one a member added after a passage's end) belongs to the article before it."""
        owners, open_keys, last = [], [], None
        for paragraph in paragraphs:
            for start in paragraph.iter(word.w("bookmarkStart")):
                key = self._key_of(start.get(word.w("name"), ""))
                if key is not None:
                    open_keys.append((start.get(word.w("id")), key))
            owner = open_keys[-1][1] if open_keys else (self.passages[last].article.key if last else None)
            owners.append(owner)
            last = owner
            ended = {end.get(word.w("id")) for end in paragraph.iter(word.w("bookmarkEnd"))}
            open_keys = [(identifier, key) for identifier, key in open_keys if identifier not in ended]
        return owners

    def _key_of(self, name: str):
        if not name.startswith("_QC"):
            return None
        try:
            key = uuid.UUID(hex=name[3:])
        except ValueError:
            return None
        return key if key in self.passages else None

    def _chain(self, key) -> list:
        """The passage and those it lies in, itself first (empty for the draft as a whole)."""
        if key is None:
            return []
        passage = self.passages[key]
        return [
            key,
            *(node.key for node in reversed(passage.above)),
            *([] if passage.is_article else [passage.article.key]),
        ]

    def _within(self, owner, key) -> bool:
        """Whether a paragraph of this owner lies in the passage `key` (None: outside every passage)."""
        return owner is None if key is None else key in self._chain(owner)

    def _above(self, key) -> list:
        return self._chain(key)[1:]

    def _order(self, key) -> int:
        return -1 if key is None else self.passages[key].node.position

    # What they changed and said -----------------------------------------------------------------------------

    def _theirs(self, revision) -> bool:
        return not self.draft_view(revision)

    def _changed_by_them(self, paragraph) -> bool:
        mark = tracked.mark_revision(paragraph)
        if mark is not None and self._theirs(mark):
            return True
        for tag in (*tracked.INSERTIONS, *tracked.DELETIONS):
            for revision in paragraph.iter(tag):
                if self._theirs(revision) and "".join(revision.itertext()).strip():
                    return True
        return False

    def _their_comments(self, paragraphs, owner) -> list[tuple]:
        """(passage key, text) of each comment of theirs, the passage it was made on quoted."""
        where: dict = {}
        quoted: dict = defaultdict(list)
        open_ranges: set = set()
        for index, paragraph in enumerate(paragraphs):
            for element in paragraph.iter(word.w("commentRangeStart"), word.w("commentRangeEnd"), word.w("t")):
                identifier = element.get(word.w("id"))
                if element.tag == word.w("commentRangeStart"):
                    where.setdefault(identifier, owner[index])
                    open_ranges.add(identifier)
                elif element.tag == word.w("commentRangeEnd"):
                    open_ranges.discard(identifier)
                else:
                    for identifier in open_ranges:
                        quoted[identifier].append(element.text or "")
            for reference in paragraph.iter(word.w("commentReference")):
                where.setdefault(reference.get(word.w("id")), owner[index])
        found = []
        for comment in self.document.comments:
            element = comment._comment_elm
            by = (element.get(word.w("author"), ""), element.get(word.w("date"), ""))
            text = comment.text.strip()
            if by in self.ours or not text:
                continue
            identifier = str(comment.comment_id)
            quote = " ".join("".join(quoted.get(identifier, [])).split())
            if quote:
                quote = quote if len(quote) <= QUOTE_MAX else quote[: QUOTE_MAX - 1] + "…"
                text = f"{text}\n(Về đoạn: “{quote}”)"
            found.append((where.get(identifier), text))
        return found

    # Opinions ----------------------------------------------------------------------------------------------

    def _suggestion(self, key, region, said: list[str]) -> Opinion:
        reason = "\n".join(said) or REASON_FROM_WORD
        before = [line for line in tracked.paragraph_texts(region, self.draft_view) if line]
        after = [line for line in tracked.paragraph_texts(region, tracked.accept_all) if line]
        if key is None:
            return self._quoting(None, before, after, reason)
        passage = self.passages[key]
        expected = [block.text for block in _blocks(passage.node)]
        if before != expected:
            return self._quoting(key, before, after, reason)  # their change is tangled with ours: quote it
        if not after:
            return self._opinion(key, reason, suggestion=SuggestionKind.REMOVE)
        if passage.is_article:
            head = _blocks(passage.node)[0].runs[0].text
            if not after[0].startswith(head):
                return self._quoting(key, before, after, reason)  # the heading changed: said, not proposed
            own = after[0][len(head) :].strip()
            after = [own, *after[1:]] if own else after[1:]
            if not after:
                return self._opinion(key, reason, suggestion=SuggestionKind.REMOVE)
        wording = clean_wording(passage.node.kind, "\n".join(after))
        return self._opinion(key, reason, suggestion=SuggestionKind.REPLACE, proposed_text=wording)

    def _quoting(self, key, before: list[str], after: list[str], reason: str) -> Opinion:
        """A change that cannot be proposed as wording: a comment that quotes it."""
        ops = diffing.word_diff("\n".join(before), "\n".join(after))
        removed = " […] ".join(text.strip() for kind, text in ops if kind == "delete" and text.strip())
        added = " […] ".join(text.strip() for kind, text in ops if kind == "insert" and text.strip())
        parts = [reason]
        if removed:
            parts.append(f"Đề nghị bỏ: “{removed}”.")
        if added:
            parts.append(f"Đề nghị thêm: “{added}”.")
        return self._opinion(key, "\n".join(parts))

    def _opinion(self, key, text: str, **fields) -> Opinion:
        if key is None:
            return Opinion(key="", place="toàn văn", text=text, **fields)
        passage = self.passages[key]
        base = passage.text if fields.get("suggestion") else ""
        return Opinion(key=str(key), place=passage.place, text=text, base_text=base, **fields)


def _blocks(node) -> list[word.Block]:
    blocks = word.node_blocks(node)
    for child in node.nodes:
        blocks += _blocks(child)
    return blocks


def opinions_from(data: list[dict]) -> list[Opinion]:
    """The opinions a confirmation form carries back (signed, so as they were read)."""
    try:
        return [Opinion(**item) for item in data]
    except TypeError as error:
        raise ValidationError("Dữ liệu xác nhận không hợp lệ; hãy gửi lại tệp.") from error
