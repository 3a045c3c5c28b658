"""Schemathesis over the whole API, through the WSGI application, as a superuser over an amendment in
consultation: no answer is a server error, and every answer is one the schema documents."""

import datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks
from schemathesis.generation import GenerationMode

from reviews import services
from tests import factories
from tests.amendments import draft_article, refresh

# No 5xx; the status, the content type and the body as the schema says.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def api(people, at_consultation):
    """The schema as a superuser reads it, with the headers that authenticate them."""
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=2),
        users=[people.member_a],
    )  # fmt: skip
    services.comment_add(
        amendment=refresh(at_consultation), user=people.member_a, text="Ý kiến về điều 4.",
        article_key=draft_article(at_consultation, "4").key,
    )  # fmt: skip
    admin = factories.UserFactory(username="api_admin", is_superuser=True, is_staff=True)
    headers = {"Authorization": f"Token {Token.objects.create(user=admin).key}"}
    # As Django's test client does: a request must not close the connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler(), headers=headers), headers
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_answers_as_documented_and_never_with_a_server_error(api):
    schema, headers = api
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):  # negative: "abc" ids, bad filters

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=25, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
            )
            def run(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except (Exception, BaseExceptionGroup) as error:  # schemathesis reports a group of failures
                failures.append(f"{operation.label} ({mode}): {error}")
    assert not failures, "\n\n".join(failures)


def test_the_stored_objects_answer_as_documented(api, people, at_consultation):
    """What random ids rarely reach: an amendment's events (some between no stages), a comment without a
    disposition, a version's provision tree, a version not replaced."""
    schema, headers = api
    objects = {
        "/api/amendments/{id}/": at_consultation.pk,
        "/api/versions/{id}/": at_consultation.base_version_id,
        "/api/regulations/{id}/": at_consultation.regulation_id,
        "/api/organizations/{id}/": people.a.pk,
        "/api/organizations/{id}/oversight/": people.city.pk,
    }
    for path, pk in objects.items():
        case = schema[path]["GET"].Case(path_parameters={"id": pk})
        assert case.call_and_validate(headers=headers, checks=CHECKS).status_code == 200, path
    case = schema["/api/versions/{id}/compare/{other_pk}/"]["GET"].Case(
        path_parameters={"id": at_consultation.base_version_id, "other_pk": at_consultation.draft_id}
    )
    assert [row["change"] for row in case.call_and_validate(headers=headers, checks=CHECKS).json()] == ["modified"]
    data = (
        schema["/api/amendments/{id}/"]["GET"]
        .Case(path_parameters={"id": at_consultation.pk})
        .call(headers=headers)
        .json()
    )
    assert data["events"][0]["from_stage"] is None and data["comments"][0]["disposition"] is None
