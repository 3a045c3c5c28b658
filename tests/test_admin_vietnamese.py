"""The admin speaks Vietnamese: every registered model's list, add, change and history page, as a superuser on
the demo's data, shows no common English word (Django's own strings, the models' and fields' names, the apps')."""

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from organizations.models import User

# Common English words of the admin's pages and of model and field names. Words that are also Vietnamese
# written without marks ("an", "ban", "can", "do", "no", "to") are left out: a name of a person or a body
# would match them.
ENGLISH = frozenset(
    re.findall(
        r"\w+",
        """
    the and or of for by at is are be this that with from not yes all any add change changed delete deleted view
    save search filter filters select selected show hide clear created updated modified current version history
    please correct error errors below name date time user users group groups home log logout site action actions
    toggle theme navigation skip main content sidebar breadcrumbs model models link list count counts today
    yesterday month year week days past unknown none true false type kind status title text number email
    address agent path attempt attempts access failure failures expiration token tokens key permission permissions
    object entry session sessions historical reason organization amendment regulation inspection finding
    notification comment stage body term position author recipient decided parent click here more other password
    welcome documentation tutorial community staff active superuser last first login joined important dates
    personal info sent read failed task arguments traceback message level
    """,
    )
)
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# What the admin shows as it is stored or as Python writes it, not words of ours: a notification's subject key
# ("amendment:12"), django-axes' names of its records ("Access Log for admin @ 2026-…", "<unknown>" for a path it
# did not see) and the alt text of Django's yes/no icons (the value itself, not translatable).
ALLOWED = re.compile(r"[a-z_]+:\d+|.*Access (Log|Attempt) for .*|<unknown>|True|False")
# An article's key as stored: random hex, whose letters can spell "be" or "add".
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


class VisibleText(HTMLParser):
    """What a reader sees or hears: text outside scripts and styles, the labels of attributes, button texts."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
        self.parts += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_in(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for part in parser.parts:
        part = UUID.sub("", part)
        words = re.findall(r"[^\W\d_]+", part)
        phrase = " ".join(part.split())
        if not ALLOWED.fullmatch(phrase) and any(word.isascii() and word.lower() in ENGLISH for word in words):
            found.add(phrase[:80])
    return found


@pytest.fixture
def superuser(db):
    with override_settings(DEBUG=True):  # the demo seeds only a development database
        call_command("seed_demo", stdout=io.StringIO())
    return User.objects.get(username="admin")


def admin_pages(model) -> list[str]:
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        urls += [reverse(f"{prefix}_change", args=[first.pk]), reverse(f"{prefix}_history", args=[first.pk])]
    return urls


def test_every_admin_page_and_its_refusals_are_in_vietnamese(client, superuser):
    """One test: the demo it reads takes most of a minute to seed."""
    client.force_login(superuser)
    english = {}
    for url in [reverse("admin:index"), *(url for model in admin.site._registry for url in admin_pages(model))]:
        response = client.get(url)
        assert response.status_code in (200, 403), url  # 403: an add page of a record only the process writes
        if response.status_code == 200:
            for phrase in english_in(response.content.decode()):
                english.setdefault(phrase, url)
    assert english == {}

    refused = client.post(reverse("admin:organizations_term_add"), {}).content.decode()
    assert "Hãy sửa lỗi dưới đây" in refused and "Please correct" not in refused
    assert english_in(refused) == set()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_compiled_catalog_is_the_one_written(tmp_path):
    """Django reads the .mo: it must say what the .po says (msgfmt -o … after every edit)."""
    catalog = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"
    subprocess.run(["msgfmt", "-o", tmp_path / "django.mo", catalog / "django.po"], check=True)
    assert (tmp_path / "django.mo").read_bytes() == (catalog / "django.mo").read_bytes()
