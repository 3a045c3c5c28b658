"""No list makes anyone scroll through hundreds of items: every page of the site, as each demo persona opens it on
the demo's 656 organizations, has no <select> of more than 50 options. Where one would choose among more (an
organization, a person, an article, a change), a chooser does it (quyche/choosers.py).

The demo is made longer where it is short: the Khối has a regulation of 60 articles and a dossier drafting it, the
city has inspected the Khối, and the Sở Tư pháp's dossier at its synthesis has made 55 changes. Each persona then
walks the site from its home page, following links, each kind of page (URL name) at most five times; a kind of page that
no persona reached fails the test too, unless it is listed below with why it is not a page to walk. The admin's
add and change forms are opened by the superuser.
"""

import io
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from inspections import services as inspection_services
from organizations.models import Organization, User
from regulations import services as regulation_services
from regulations.models import Provision, ProvisionKind, RegulationKind
from reviews import services as review_services
from reviews.models import Amendment, AmendmentStatus, StageKind
from tests.regulations import texts

LONGEST = 50
PERSONAS = [
    "vanphong.khoi", "btv.khoi", "bch.khoi", "bithu.khoi", "btv.thanhuy", "vanphong.stp", "bithu.ninhkieu", "admin",
]  # fmt: skip
VISITS_PER_KIND = 5

# Named URLs that are no page of their own to walk, by why.
NOT_PAGES = {
    **dict.fromkeys(
        [
            "inspections:finding_check", "inspections:finding_report", "notifications:follow", "notifications:open",
            "notifications:read_all", "regulations:in_force", "regulations:compare_pick", "regulations:link_model",
            "regulations:number_cancel", "regulations:register_end", "regulations:repeal", "regulations:line_numbers",
            "regulations:open_content_mark", "reviews:answer", "reviews:comment", "reviews:consultation_close",
            "reviews:disposition", "reviews:group_add", "reviews:group_remove", "reviews:reply",
            "reviews:suggestions_accept", "reviews:transition", "logout",
        ],
        "where a form of a page walked is sent (a refused one comes back as that page)",
    ),
    **dict.fromkeys(
        [
            "organizations:children", "regulations:article_text", "regulations:import_job", "regulations:open_content",
            "regulations:version_pdf_status", "reviews:suggest_preview",
        ],
        "a part of a page walked, fetched by its script",
    ),
    **dict.fromkeys(
        [
            "organizations:choose", "inspections:finding_articles", "reviews:group_people", "reviews:draft_articles",
            "reviews:changes",
        ],
        "a chooser's suggestions (tested with their forms)",
    ),
    **dict.fromkeys(
        [
            "oversight:export", "regulations:consolidated_docx", "regulations:consolidated_pdf",
            "regulations:numbers_pdf", "regulations:version_docx", "regulations:version_pdf", "reviews:comparison_pdf",
            "reviews:consultation_copy", "reviews:draft_docx", "reviews:draft_pdf", "reviews:issue_preview",
            "reviews:paper_docx", "reviews:paper_pdf", "reviews:synthesis_pdf",
        ],
        "a file",
    ),
    "reviews:issue": "only for a dossier adopted and not yet issued; its fields are typed (dates, the signer)",
    "login": "before anyone is logged in: a login name and a password",
    "healthz": "the load balancer's",
}  # fmt: skip
# Suffixes and prefixes of what is not a page: files, the API, the admin (its forms are walked by `admin_forms`).
SKIPPED = (".pdf", ".docx", ".csv", ".xlsx", ".xls")
SKIPPED_PREFIXES = ("/api/", "/quan-tri/", "/static/", "/media/", "/dang-xuat/")


class Selects(HTMLParser):
    """The <select>s of a page, each with its name and its number of options (in groups too), and the links."""

    def __init__(self):
        super().__init__()
        self.selects: list[list] = []
        self.links: list[str] = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._open = [attrs.get("name") or attrs.get("id") or "?", 0]
            self.selects.append(self._open)
        elif tag == "option" and self._open is not None:
            self._open[1] += 1
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._open = None


def page_names() -> set[str]:
    """Every named URL of the site's pages (not the API's, not the admin's)."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if str(pattern.pattern).startswith(("api/", "quan-tri/")):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns))


def lengthen_the_demo() -> list[str]:
    """Longer lists where the demo's are short; returns the pages that would show them, walked first."""
    khoi = Organization.objects.get(code="KDCD")
    office_khoi, auditor = User.objects.get(username="vanphong.khoi"), User.objects.get(username="btv.thanhuy")
    # Sixty articles: the finding's "article", an amendment's "Đặt sau".
    many = [(f"Nội dung thứ {n}", [f"Quy định thứ {n} của quy chế phối hợp."]) for n in range(1, 61)]
    version = regulation_services.regulation_import(
        text=texts.regulation_text(many, number="30-QC/ĐUK"),
        user=office_khoi,
        organization=khoi,
        kind=RegulationKind.COORDINATION,
    ).version
    drafting = review_services.amendment_start(
        regulation=version.regulation, user=office_khoi, reason="Rà soát toàn bộ."
    )
    inspection = inspection_services.inspection_create(
        inspecting=khoi.parent, inspected=khoi, user=auditor, kind="inspection",
        date=version.issued, team="Đoàn kiểm tra Thành ủy", scope="Việc thực hiện quy chế.",
    )  # fmt: skip
    # Fifty-five changes in the dossier at its synthesis: a disposition's "change".
    amendment = Amendment.objects.get(status=AmendmentStatus.IN_PROGRESS, stage__kind=StageKind.SYNTHESIS)
    office = User.objects.get(username="vanphong.stp")
    for number in range(55):
        article = Provision.objects.filter(version=amendment.draft, kind=ProvisionKind.ARTICLE).order_by("position")[0]
        review_services.draft_article_update(
            amendment=Amendment.objects.select_related("stage", "regulation__organization").get(pk=amendment.pk),
            user=office, key=article.key, heading=article.heading, body=f"Nội dung sửa lần {number}.",
            reason=f"Lần sửa thứ {number}.", expected_revision=article.revision,
        )  # fmt: skip
    last = Provision.objects.filter(version=drafting.draft, kind=ProvisionKind.ARTICLE).order_by("position").last()
    return [
        reverse("inspections:create", args=[khoi.parent_id]),
        reverse("inspections:create", args=[khoi.pk]),
        reverse("inspections:finding_add", args=[inspection.pk]),
        reverse("reviews:detail", args=[drafting.pk]),
        reverse("reviews:article_insert", args=[drafting.pk]),
        reverse("reviews:article_move", args=[drafting.pk, last.key]),
        reverse("reviews:synthesis", args=[amendment.pk]),
        reverse("oversight:dashboard", args=[khoi.parent_id]),
    ]


def walk(client: Client, first: list[str]) -> tuple[Counter, list[str]]:
    """The pages reached from `first` and the home page, each kind at most VISITS_PER_KIND times; the long
    selects found (and any page that failed)."""
    seen, kinds, budget, long = set(), Counter(), Counter(), []
    queue = deque([*first, "/"])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        try:
            kind = resolve(urlsplit(path).path).view_name
        except Resolver404:
            continue
        if budget[kind] >= VISITS_PER_KIND and path not in first:  # those are walked besides
            continue
        response = client.get(path)
        if response.status_code >= 500:
            long.append(f"{path} ({kind}): {response.status_code}")
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        kinds[kind] += 1
        budget[kind] += path not in first
        page = Selects()
        page.feed(response.content.decode())
        long += [f"{path} ({kind}): <select name={name}> of {count}" for name, count in page.selects if count > LONGEST]
        for href in page.links:
            link = urlsplit(href)
            if link.netloc or not link.path.startswith("/") or link.path.endswith(SKIPPED):
                continue
            if link.path.startswith(SKIPPED_PREFIXES):
                continue
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return kinds, long


# The admin's pickers of permissions: a list with a filter box (Django's), as long as the models are many, whatever
# the size of the province.
ADMIN_PICKERS = {"permissions", "user_permissions"}


def admin_forms(client: Client) -> list[str]:
    """Each model's add form and the change form of one of its rows, with the long selects found."""
    long = []
    for model in admin.site._registry:
        meta = model._meta
        row = model._default_manager.first()
        urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_add")]
        if row is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            page = Selects()
            page.feed(response.content.decode())
            long += [
                f"{url}: <select name={name}> of {count}"
                for name, count in page.selects
                if count > LONGEST and name not in ADMIN_PICKERS
            ]
    return long


@pytest.mark.django_db
def test_no_page_offers_a_select_of_more_than_fifty_options(settings, stages):
    settings.CACHES = {**settings.CACHES, "counts": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(DEBUG=True):  # the demo seeds only a development database
        call_command("seed_demo", stdout=io.StringIO())
    longest = lengthen_the_demo()
    walked, long = Counter(), []
    for username in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        kinds, found = walk(client, longest)
        walked.update(kinds)
        long += [f"{username} {what}" for what in found]
        if username == "admin":
            long += [f"admin {what}" for what in admin_forms(client)]
    assert long == []
    assert sorted(page_names() - set(walked) - set(NOT_PAGES)) == []
    assert sorted(set(walked) & set(NOT_PAGES)) == []
