"""What one release keeps in the shared cache is not read by another (a rolling upgrade runs both), while a
change made by either is seen by both."""

import pytest

from quyche import counts, release


@pytest.fixture
def releases(settings):
    def switch(name):
        settings.RELEASE = name
        release.release.cache_clear()

    yield switch
    release.release.cache_clear()


def test_a_value_kept_by_one_release_is_not_read_by_the_next(releases, db):
    computed = []

    def compute(shape):
        def run():
            computed.append(shape)
            return {"shape": shape}

        return run

    releases("2026.11")
    assert counts.cached("rows", ("regulations",), compute("old")) == {"shape": "old"}
    assert counts.cached("rows", ("regulations",), compute("old")) == {"shape": "old"}  # kept
    releases("2026.12")
    assert counts.cached("rows", ("regulations",), compute("new")) == {"shape": "new"}
    releases("2026.11")  # the old release, still serving during the upgrade, keeps its own
    assert counts.cached("rows", ("regulations",), compute("old")) == {"shape": "old"}
    assert computed == ["old", "new"]

    # A change made under the new release is seen by the old one too.
    releases("2026.12")
    counts.changed("regulations")
    releases("2026.11")
    counts.cached("rows", ("regulations",), compute("old"))
    assert computed == ["old", "new", "old"]


def test_without_a_release_named_the_code_names_it(releases):
    releases("")
    stamp = release.release()
    assert len(stamp) == 16 and stamp == release.release()
