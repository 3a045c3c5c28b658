"""Standing cast for the tests (after healthchecks): a bloc A under a city, and an unrelated B.

- office_a: chuyên viên Văn phòng of A (drafts for A)
- btv_a: ủy viên BTV of A (and cấp ủy viên)
- member_a: cấp ủy viên of A only
- superior_btv: ủy viên BTV of the city, A's superior (audits A and everything under it)
- outsider: Bí thư of B, a district beside A (no right on A)
"""

from types import SimpleNamespace

import pytest
from django.core.cache import caches

from organizations.models import BodyKind, OrganizationKind, Role
from quyche import kept
from regulations import services as regulation_services
from tests import factories

# The amendment of bloc A's QCLV and its people, for every suite that needs an amendment.
pytest_plugins = ["tests.amendments"]


@pytest.fixture
def cast(db):
    city = factories.organization(OrganizationKind.PROVINCIAL, name="Thành ủy Thử nghiệm", code="TUTN")
    a = factories.organization(OrganizationKind.BLOC, parent=city, name="Đảng ủy Khối Cơ quan thử nghiệm", code="KA")
    a_child = factories.organization(
        OrganizationKind.GRASSROOTS_COMMITTEE, parent=a, name="Đảng bộ Sở Tư pháp", code="STP"
    )
    a_cell = factories.organization(OrganizationKind.CELL, parent=a_child, name="Chi bộ Văn phòng Sở", code="CB1")
    b = factories.organization(OrganizationKind.DISTRICT, parent=city, name="Quận ủy Bình Thủy", code="QUBT")
    b_child = factories.organization(
        OrganizationKind.GRASSROOTS_COMMITTEE, parent=b, name="Đảng bộ phường Bùi Hữu Nghĩa", code="PBHN"
    )

    users = {
        name: factories.UserFactory(username=name)
        for name in ("office_a", "btv_a", "member_a", "superior_btv", "outsider")
    }
    factories.seat(users["office_a"], a, BodyKind.OFFICE, Role.OFFICE_STAFF)
    factories.seat(users["btv_a"], a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    factories.seat(users["btv_a"], a, BodyKind.STANDING, Role.STANDING_MEMBER)
    factories.seat(users["member_a"], a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    factories.seat(users["superior_btv"], city, BodyKind.STANDING, Role.STANDING_MEMBER)
    factories.seat(users["outsider"], b, BodyKind.EXECUTIVE, Role.SECRETARY)
    return SimpleNamespace(city=city, a=a, a_child=a_child, a_cell=a_cell, b=b, b_child=b_child, **users)


@pytest.fixture
def login(client):
    """Log a user in on the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def uncached_header(settings):
    """Pages whose queries are pinned count the header afresh on every request, as a first visit does; what
    its cache saves is pinned on its own (tests/reviews/test_lists.py)."""
    settings.CACHES = {**settings.CACHES, "counts": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The API's throttle counts and the header's counts live in caches, keyed by user id or address, which
    repeat between tests; so do the versions' ids that name the kept texts, which each process also holds."""
    for cache in caches.all():
        cache.clear()
    kept.forget()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing is deliberately slow; tests create many users and need no protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def import_text(cast):
    """Import a text for bloc A (by default) as A's office would.

    A text of another organization is loaded as the system (`user=None`), as the demo loads its
    texts, unless the test says who imports it: A's office has no right there.
    """

    def _import(text, organization=None, regulation=None, user=None):
        organization = None if regulation else (organization or cast.a)
        if user is None and (regulation.organization if regulation else organization) == cast.a:
            user = cast.office_a
        return regulation_services.regulation_import(
            text=text, user=user, organization=organization, regulation=regulation
        ).version

    return _import


from tests.services import celery_on_redis, private_redis, redis_url  # noqa: E402, F401  (real Redis for Celery)
from tests.stack import static_root  # noqa: E402, F401  (collected once for the web hosts the tests start)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files the product keeps (issued PDFs) go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
