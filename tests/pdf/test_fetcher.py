import pytest
from weasyprint.urls import FatalURLFetchingError

from regulations.pdf import STATIC_BASE, RefusedURL, StaticFilesOnly


def test_it_serves_our_stylesheet():
    response = StaticFilesOnly().fetch(f"{STATIC_BASE}pdf/document.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/static/pdf/document.css",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x.png",
        f"{STATIC_BASE}../../../../etc/passwd",
        f"{STATIC_BASE}%2e%2e/%2e%2e/etc/passwd",
        f"{STATIC_BASE}/etc/passwd",
        "https://quyche.invalid.example.com/static/pdf/document.css",
    ],
)
def test_it_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        StaticFilesOnly().fetch(url)


def test_it_stops_the_rendering_when_one_of_our_files_is_missing():
    with pytest.raises(FatalURLFetchingError):
        StaticFilesOnly().fetch(f"{STATIC_BASE}pdf/no-such-file.css")
