"""Choosing one among hundreds by typing (an organization of a province, a person, an article): no <select> of
hundreds of options anywhere (tests/test_long_lists.py walks every form for one).

A chooser is a text field whose suggestions come as the user types (htmx asks the page's endpoint for them,
static/js/chooser.js lets the keyboard move among them), with the id of the one chosen in a hidden field beside
it. Without JavaScript the text alone is sent and resolved on submit: a name given whole, else the only one
matching; when it names several, the form comes back with them as radio buttons to pick from.

Each kind of thing says where to look and how typed text finds it (a `Choices`); the form offers those to its
`ChooserField`, and the endpoint that suggests them checks the same right and looks among the same `Choices`.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template import loader
from django.utils.safestring import mark_safe

from .text import fold, nfc

SUGGESTIONS = 20  # shown as one types; also the most a refused form offers to pick from
TYPED_MAX = 200  # what is read of the text typed (an article's heading comes with its number)


@dataclass(frozen=True)
class Option:
    """One thing as a chooser shows it: its id (posted), its text (put in the field once chosen) and a detail
    that tells it apart from others of the same name (the organization it belongs to, a login name)."""

    id: str
    text: str
    detail: str = ""


class Choices:
    """What may be chosen, found by its id or by what is typed; one subclass per kind of thing."""

    noun = "mục"  # in the messages: "Không có {noun} nào khớp …"
    how = "tên"  # what is typed: "tên hoặc mã", "họ tên hoặc tên đăng nhập"
    refused = ""  # for an id sent alone that is not among them; said in general terms when empty

    def get(self, chosen_id: str):
        """The thing of this id among those that may be chosen; None for any other id."""
        raise NotImplementedError

    def named(self, typed: str) -> list:
        """Those `typed` names most closely (a whole name, a code, a login name; else, for some, a name holding
        every word typed): two at most, enough to tell whether it names one."""
        raise NotImplementedError

    def matching(self, typed: str, limit: int) -> list:
        """Those holding every word typed (diacritics ignored), in the order they are shown."""
        raise NotImplementedError

    def still_names(self, thing, typed: str) -> bool:
        """Whether the text sent with a chosen id still names it: text edited since the choice asks anew."""
        raise NotImplementedError

    def option(self, thing) -> Option:
        raise NotImplementedError


def words_of(typed: str) -> list[str]:
    return fold(typed[:TYPED_MAX]).split()


def holds_every_word(haystack: str, typed: str) -> bool:
    """`haystack` folded already; every word typed found in it. Nothing typed names nothing."""
    words = words_of(typed)
    return bool(words) and all(word in haystack for word in words)


class Chooser(forms.Widget):
    """The text field and the hidden id of a `ChooserField`, drawn by templates/_chooser.html."""

    template_name = "_chooser.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.url = ""  # the suggestions' endpoint, set by the form: it depends on what the form is about
        self.noun = Choices.noun
        self.how = Choices.how
        self.candidates: list[Option] = []  # what the text typed matches when it names no one whole: radios
        self.more = False  # more than those offered match
        self.typed = ""

    def value_from_datadict(self, data, files, name):
        """(the id chosen, the text typed); the text None when not sent (an API call, a link with the id alone)."""
        return data.get(name), data.get(f"{name}_name")

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_name" not in data

    def id_for_label(self, id_):
        return f"{id_}_name" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen, text = value if isinstance(value, (list, tuple)) else ("", "")
        widget = context["widget"]
        field_id = widget["attrs"].pop("id", None) or f"id_{name}"
        described = " ".join(filter(None, [widget["attrs"].pop("aria-describedby", ""), f"{field_id}_help"]))
        widget.update(
            id=field_id,
            chosen="" if chosen is None else chosen,
            text=text or "",
            url=self.url,
            noun=self.noun,
            how=self.how,
            candidates=self.candidates,
            more=self.more,
            typed=self.typed,
            described=described,
            maxlength=TYPED_MAX,
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (templates/), not only the apps' that Django's form renderer reads.
        return mark_safe(loader.render_to_string(self.template_name, self.get_context(name, value, attrs)))


class ChooserField(forms.Field):
    """One thing among `Choices` the form offers (`offer`), named by typing: chosen in the suggestions (its id),
    or resolved on submit from the text alone. A forged id is refused: only what `Choices` holds is ever found."""

    widget = Chooser

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.among: Choices | None = None
        self.resolved = None

    def offer(self, among: Choices, url: str) -> None:
        self.among = among
        self.widget.url, self.widget.noun, self.widget.how = url, among.noun, among.how

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)) or value in (None, ""):
            return value
        option = self.among.option(value)  # an initial value: the thing itself (None if it is not among them)
        return (option.id, option.text) if option else ("", "")

    def bound_data(self, data, initial):
        """Once resolved, the field shows what it was resolved to (its whole name, its id)."""
        if self.resolved is not None:
            option = self.among.option(self.resolved)
            return option.id, option.text
        return data

    def clean(self, value):
        chosen_id, typed = value if isinstance(value, (list, tuple)) else (value, None)
        among = self.among
        chosen = among.get(str(chosen_id)) if chosen_id not in (None, "") else None
        if typed is None:  # the id alone
            if chosen_id not in (None, "") and chosen is None:
                raise ValidationError(
                    among.refused or f"Không chọn được {among.noun} này; hãy gõ {among.how} rồi chọn trong gợi ý."
                )
        else:
            typed = nfc(typed).strip()[:TYPED_MAX]
            if not typed:
                chosen = None
            elif chosen is None or not among.still_names(chosen, typed):
                chosen = self._resolve(typed)
        if chosen is None and self.required:
            raise ValidationError(f"Hãy gõ {among.how} rồi chọn một {among.noun}.", code="required")
        self.resolved = chosen
        return chosen

    def _resolve(self, typed: str):
        """The one `typed` names; else those it matches, offered to pick from (one found by looser words, the
        name of what it belongs to, is offered too rather than taken unseen)."""
        among = self.among
        found = among.named(typed)
        if len(found) == 1:
            return found[0]
        found = among.matching(typed, SUGGESTIONS + 1)
        if not found:
            raise ValidationError(f"Không có {among.noun} nào có {among.how} “{typed}”.")
        self.widget.candidates = [among.option(thing) for thing in found[:SUGGESTIONS]]
        self.widget.more, self.widget.typed = len(found) > SUGGESTIONS, typed
        if len(found) == 1:
            raise ValidationError(f"“{typed}” không phải tên đầy đủ của {among.noun} nào; hãy chọn trong gợi ý.")
        raise ValidationError(f"Có nhiều {among.noun} khớp “{typed}”, hãy gõ đầy đủ hơn hoặc chọn trong gợi ý.")


@dataclass(frozen=True)
class Entry:
    """One thing of a `ListChoices`: how it is shown, what the form gets, and what typing finds it by."""

    option: Option
    value: object
    names: frozenset[str]  # folded: what names it whole ("5", "dieu 5")
    words: str  # folded: its own words (an article's number and heading)
    context: str = ""  # folded: words of what it belongs to (the regulation's title), looked in after its own


class ListChoices(Choices):
    """Choices held in a list already read (the articles of a text, the changes of a draft)."""

    def __init__(self, entries: list[Entry], *, noun: str, how: str):
        self.entries = entries
        self.by_id = {entry.option.id: entry for entry in entries}
        self.noun, self.how = noun, how

    def get(self, chosen_id):
        entry = self.by_id.get(chosen_id)
        return entry.value if entry else None

    def named(self, typed):
        name = fold(typed)
        whole = [entry.value for entry in self.entries if name in entry.names]
        return (whole or [entry.value for entry in self.entries if holds_every_word(entry.words, typed)])[:2]

    def matching(self, typed, limit):
        """Those named whole first, then those holding every word in their own words, then with their context's."""
        name = fold(typed)

        def rank(entry):
            if name in entry.names:
                return 0
            return 1 if holds_every_word(entry.words, typed) else 2

        found = [e for e in self.entries if holds_every_word(f"{e.words} {e.context}", typed) or name in e.names]
        return [entry.value for entry in sorted(found, key=rank)][:limit]

    def still_names(self, thing, typed):
        entry = self._entry_of(thing)
        return entry is not None and (
            fold(typed) in entry.names or holds_every_word(f"{entry.words} {entry.context}", typed)
        )

    def option(self, thing):
        entry = self._entry_of(thing)
        return entry.option if entry else None

    def _entry_of(self, thing):
        return next((entry for entry in self.entries if entry.value == thing), None)


def suggestions(request, among: Choices):
    """The suggestions for what is typed (`?q=`), as the chooser's list shows them; the caller has checked the
    right to choose among these."""
    typed = nfc(request.GET.get("q", "")).strip()[:TYPED_MAX]
    found = among.matching(typed, SUGGESTIONS) if typed else []
    options = [among.option(thing) for thing in found]
    return render(request, "_chooser_options.html", {"options": options, "typed": typed, "noun": among.noun})
