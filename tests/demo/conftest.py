import pytest


@pytest.fixture(autouse=True)
def _development_database(settings):
    """The demo seeds only a development database (DEBUG on): its accounts share a published password."""
    settings.DEBUG = True
