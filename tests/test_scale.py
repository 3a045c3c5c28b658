"""A province on demand (`generate_province`) and what it shows: the key pages ask as many queries for a
province five times larger. The timings are bench/load.py's, on N = 10,000."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.management.commands.generate_province import counts
from demo.province import ACCOUNTS, PASSWORD, key_pages
from organizations.models import Organization, OrganizationKind, Term
from regulations.models import Regulation

SMALL = 60

# Queries per page for the city's auditor, the same at both sizes; the goal is at most 12. Search
# reads the first texts the reader may see and goes to the index only when they hold too few hits, one
# query more: how many it takes depends on where the words are, so it is held to a bound. The reader's
# seats, the header's counts and what an organization page shows of itself are kept (quyche/counts.py).
QUERIES = {
    "oversight, city": 3,  # session, user, the organization: seats, figures and drawn rows are kept
    "oversight, Khối": 3,
    "oversight CSV, Khối": 3,
    "amendment list": 2,  # session, user: the drawn page is kept for the reader
    "API amendments": 2,  # session, user: the answer is kept for the reader and the URL
    "compare 300 articles": 3,
    "API compare 300 articles": 3,
    "organization, Khối": 3,  # its drawn page of children kept for the reader
    "version, 300 articles": 3,  # whether the reader numbers lines kept (regulations.lines.wanted)
    "tree node, Khối": 3,
    "tree root": 2,  # session, user: the roots are kept for the reader
    "article history": 4,  # the article with its version; its steps and records in issued texts kept
    "notifications": 2,  # session, user: the drawn rows kept for the person and the page
    "regulation list, Khối": 3,  # its drawn rows kept for the organization and the filters
    "việc cần làm": 2,  # session, user: what awaits the person is kept for the day
    "trang chủ": 2,  # session, user: the desk is kept for the person and the day
    "regulation, 300 articles": 3,  # its versions, dossiers and bases kept; whether the reader follows it too
    "API organizations": 2,  # session, user: the answer is kept for the reader and the URL
}
SEARCH_AT_MOST = 8


def generate(settings, organizations: int) -> str:
    settings.DEBUG = True  # the command's accounts share a published password: a development machine only
    out = io.StringIO()
    call_command("generate_province", organizations=organizations, stdout=out)
    settings.DEBUG = False  # the pages as production serves them
    return out.getvalue()


@pytest.mark.parametrize("organizations", [SMALL, 5 * SMALL])
def test_it_asks_as_many_queries_on_each_key_page_for_a_province_five_times_larger(db, settings, client, organizations):
    generate(settings, organizations)
    client.force_login(get_user_model().objects.get(username=ACCOUNTS["auditor"][0]))
    measured = {}
    for name, url in key_pages().items():
        assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        measured[name] = len(queries)
    searches = {name: measured.pop(name) for name in list(measured) if name.startswith("search")}
    assert measured == QUERIES
    assert len(searches) == 4 and max(searches.values()) <= SEARCH_AT_MOST, searches


def test_it_builds_a_province_shaped_like_can_tho_and_prints_its_counts(db, settings):
    printed = json.loads(generate(settings, SMALL).strip().splitlines()[-1])
    assert printed == counts()
    assert SMALL <= printed["organizations"] <= SMALL + 5
    # Six reminders per organization, and the notices of the steps it takes through the services.
    assert printed["users"] >= 2 * SMALL and 6 * SMALL < printed["notifications"] < 7 * SMALL
    city = Organization.objects.get(parent=None, code="TUTD")
    province = Organization.objects.below(city, include_self=True)
    assert {o.kind for o in province} == set(OrganizationKind.values)
    assert max(o.depth for o in province) == 5
    bloc = province.get(kind=OrganizationKind.BLOC)
    assert Organization.objects.below(bloc).count() == pytest.approx(SMALL / 2, abs=2)
    assert Term.objects.filter(organization__in=province).count() == province.count()
    assert Regulation.objects.filter(based_on__isnull=False).exists()
    for username, _ in ACCOUNTS.values():
        assert get_user_model().objects.get(username=username).check_password(PASSWORD)
    settings.DEBUG = True
    with pytest.raises(CommandError, match="đã có"):
        call_command("generate_province", organizations=SMALL)


def test_it_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("generate_province", organizations=SMALL)
    assert not Organization.objects.exists()
