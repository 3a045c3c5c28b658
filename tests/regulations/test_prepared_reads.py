"""On PostgreSQL, a page read again is answered from the plans its connection kept (quyche/prepared.py): the
version page's seven-table read is planned once, not at every request. SQLite has nothing to prepare."""

import pytest
from django.db import connection
from django.urls import reverse

from regulations.models import Provision

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")


def prepared() -> list[str]:
    """The statements this connection keeps planned."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def reads_versions(statements) -> list[str]:
    return [statement for statement in statements if 'FROM "regulations_version"' in statement]


def test_the_version_page_read_again_is_planned_once(login, cast, two_versions):
    first, second = two_versions
    client = login(cast.member_a)
    pages = [reverse("regulations:version", args=[version.pk]) for version in (first, second, first)]
    answers = [client.get(page) for page in pages]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert "Nguyên tắc" in answers[2].content.decode()
    # Two versions read by one query text: prepared at its second sending, with its seven tables.
    [statement] = reads_versions(prepared())
    assert statement.count(" JOIN ") == 6 and "$1" in statement
    # The connection binds on the client again once the page is answered: the test's own queries, as every
    # command and task, are not prepared.
    before = len(prepared())
    for _ in range(3):
        Provision.objects.filter(version=first).count()
    assert len(prepared()) == before


def test_what_a_form_sends_is_not_prepared(login, cast, two_versions):
    first, _ = two_versions
    client = login(cast.member_a)
    for _ in range(3):  # the same view, asked by POST: its reads bound on the client, as a form's writes
        assert client.post(reverse("regulations:version", args=[first.pk])).status_code == 200
    assert reads_versions(prepared()) == []


def test_off_with_prepared_reads_0(login, cast, two_versions, settings):
    settings.PREPARED_READS = False  # read when the test client's handler loads the middleware
    first, _ = two_versions
    client = login(cast.member_a)
    for _ in range(3):
        assert client.get(reverse("regulations:version", args=[first.pk])).status_code == 200
    assert reads_versions(prepared()) == []
