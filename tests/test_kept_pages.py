"""A kept page of a list (quyche.counts.cached_page) is named by what the list reads, never by the raw query
string: a parameter the list ignores makes no new entry, and only the first pages are kept, so no reader can
fill the shared cache by asking for the same list under endless URLs."""

import pytest
from django.test import RequestFactory

from quyche import counts

pytestmark = pytest.mark.django_db


def drawn_for(urls, **options) -> list[str]:
    drawn = []
    for url in urls:
        request = RequestFactory().get(url)

        def draw(url=url):
            drawn.append(url)
            return url

        counts.cached_page(request, "test-list:1", ("amendments",), draw, **options)
    return drawn


def test_parameters_the_list_does_not_read_make_no_new_entry():
    assert drawn_for(["/l/", "/l/?x=1", "/l/?x=2&y=3", "/l/?trang=1", "/l/?trang=abc"]) == ["/l/"]
    assert drawn_for(["/l/?trang=2", "/l/?trang=2&x=1"]) == ["/l/?trang=2"]


def test_each_filter_the_view_cleaned_is_kept_apart():
    assert drawn_for(["/l/?status=a", "/l/?status=a&x=1"], status="a") == ["/l/?status=a"]
    assert drawn_for(["/l/?status=b"], status="b") == ["/l/?status=b"]


def test_only_the_first_pages_are_kept():
    last = f"/l/?trang={counts.KEPT_PAGES}"
    past = f"/l/?trang={counts.KEPT_PAGES + 1}"
    assert drawn_for([last, last, past, past]) == [last, past, past]


def test_a_list_drawn_whole_is_kept_once_whatever_page_is_asked():
    assert drawn_for(["/l/", "/l/?trang=2", "/l/?trang=3"], paged=False, status="a") == ["/l/"]
