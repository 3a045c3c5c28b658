"""Long lists a page at a time, without counting them: one row more than a page tells whether another follows;
and the links of their rows."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from quyche.ids import BIGGEST_ID

PAGE_SIZE = 50
PARAM = "trang"


@dataclass
class Page:
    items: list
    number: int
    has_next: bool
    query: str  # the request's other parameters, for the links

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def page_of(request, queryset, size: int | None = None, *, carried: tuple[str, ...] | None = None) -> Page:
    """The page of `queryset` that `?trang=` asks for (the first for anything that is not a page number); its
    links carry the request's other parameters, or only those named in `carried` (a kept page, whose links
    must not repeat what one reader happened to add: quyche.counts.cached_page)."""
    size = size or PAGE_SIZE
    number = page_number(request)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    params = request.GET.copy()
    params.pop(PARAM, None)
    if carried is not None:
        for name in list(params):
            if name not in carried:
                params.pop(name)
    return Page(items=rows[:size], number=number, has_next=len(rows) > size, query=params.urlencode())


def page_number(request) -> int:
    """The page `?trang=` asks for: the first for anything that is not a page number."""
    try:
        return max(1, int(request.GET.get(PARAM, 1)))
    except ValueError:
        return 1


def reverse_each(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[id])` for each row of a long list at the price of one reverse (each costs as much
    as drawing a row): the URL is reversed once with a marker id, and each row's id takes the marker's place."""
    marker = str(BIGGEST_ID)
    head, tail = reverse(viewname, args=[marker]).split(marker)
    return lambda pk: f"{head}{pk}{tail}"
