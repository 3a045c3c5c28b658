import pytest
from django.db import connection

from reviews.models import Stage


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_b(amendment):
    print("B", Stage.objects.count())
    if connection.vendor != "postgresql":
        pytest.skip("x")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_c(people, in_force, live_server):
    print("C", Stage.objects.count())
    print("C2", Stage.objects.filter(organization_kind="bloc").count())
