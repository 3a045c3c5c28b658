"""What every page draws around its content, worked out once per process: the header's links
(quyche/context_processors.py) and the static files' hashed names (quyche/static.py)."""

import re

import pytest
from django.urls import reverse, set_script_prefix
from whitenoise.storage import CompressedManifestStaticFilesStorage

from quyche.context_processors import HEADER, header_links
from quyche.static import KeptManifestStorage


def nav_links(page: str) -> set[str]:
    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    return set(re.findall(r'href="([^"]+)"', header))


def test_the_header_links_every_page_it_names(login, cast):
    client = login(cast.btv_a)
    links = nav_links(client.get(reverse("notifications:list")).content.decode())
    for view in HEADER.values():
        if view not in ("admin:index", "styleguide", "logout"):  # staff only; logout is a form's action
            assert reverse(view) in links, view
    assert reverse("organizations:detail", args=[cast.a.pk]) in links


def test_under_a_script_prefix_the_links_carry_it(login, cast):
    tree = reverse("organizations:tree")
    try:
        set_script_prefix("/quyche/")  # as the WSGI handler sets it from SCRIPT_NAME for each request
        assert header_links(None)["links"]["tree"] == "/quyche" + tree
        set_script_prefix("/")  # the kept links are kept per prefix
        assert header_links(None)["links"]["tree"] == tree
    finally:
        set_script_prefix("/")


def test_the_static_names_are_whitenoises_hashed_ones(static_root):
    ours = KeptManifestStorage(location=static_root)
    whitenoises = CompressedManifestStaticFilesStorage(location=static_root)
    for name in ("css/site.css", "js/chooser.js", "vendor/htmx-2.0.11.min.js"):
        url = ours.url(name)
        assert url == whitenoises.url(name) and re.search(r"\.[0-9a-f]{12}\.", url)
        assert ours.url(name) == url
    for _ in range(2):  # a name the manifest does not have is refused each time, never kept as something
        with pytest.raises(ValueError):
            ours.url("css/absent.css")
