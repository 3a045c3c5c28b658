"""The layout as each demo persona meets it on a laptop (1366×768) and on a phone (390×844).

On the main pages a persona can open: axe-core (tests/browser/node_modules, `make test-deps`) finds no serious
or critical accessibility violation; at 390 px nothing scrolls sideways but a table inside its container; a
screenshot of each is kept under test-artifacts/screens/ (SCREENSHOTS_DIR), not committed. The header stays on
one line at 1024 px and becomes a menu button on a phone, with script and without; the comparison table stacks
on a phone; a long text's table of contents follows the reader."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from organizations.models import Organization
from regulations.models import ProvisionKind, Regulation, Version, VersionStatus
from reviews.models import Amendment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "test-artifacts" / "screens"))
PASSWORD = "QuyChe@2026"  # the demo's, published in the README
PERSONAS = [
    "vanphong.khoi", "btv.khoi", "bch.khoi", "bithu.khoi", "btv.thanhuy", "vanphong.stp", "bithu.ninhkieu", "admin",
]  # fmt: skip
LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}

# What sticks out of the page sideways, outside a table's own scrolling container.
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const element of document.querySelectorAll("body *")) {
    if (element.closest(".table-wrap, .tabs, .markup")) continue;  // containers that scroll on their own
    const box = element.getBoundingClientRect();
    if (box.width > 1 && (box.right > width + 1 || box.left < -1)) out.push(`${element.tagName}.${element.className}`);
  }
  return {scrolls: document.documentElement.scrollWidth > width, out: out.slice(0, 5)};
}"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}"""


@pytest.fixture
def demo(stages):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make test-deps`, which installs it with npm.")
    with override_settings(DEBUG=True):  # the demo seeds only a development database
        call_command("seed_demo", stdout=io.StringIO())


def main_pages() -> list[str]:
    """The pages a day's work goes through, on the demo's Khối: who may not open one gets a 404 and it is left out."""
    khoi = Organization.objects.get(code="KDCD")
    # The Khối's QCLV: in force, with a dossier in consultation.
    regulation = Regulation.objects.filter(organization=khoi, amendments__status="in_progress").order_by("pk").first()
    version = Version.objects.filter(regulation=regulation, status=VersionStatus.IN_FORCE).first()
    article = version.provisions.filter(kind=ProvisionKind.ARTICLE).order_by("position").first()
    amendment = Amendment.objects.filter(regulation=regulation, status="in_progress").order_by("pk").first()
    return [
        "/",
        reverse("organizations:tree"),
        reverse("organizations:detail", args=[khoi.pk]),
        reverse("regulations:list", args=[khoi.pk]),
        reverse("regulations:detail", args=[regulation.pk]),
        reverse("regulations:version", args=[version.pk]),
        reverse("regulations:article", args=[version.pk, article.key]),
        reverse("regulations:search") + "?q=ban+thuong+vu",
        reverse("reviews:list"),
        reverse("reviews:todo"),
        reverse("reviews:detail", args=[amendment.pk]),
        reverse("reviews:draft", args=[amendment.pk]),
        reverse("reviews:comparison", args=[amendment.pk]),
        reverse("reviews:consultation", args=[amendment.pk]),
        reverse("reviews:synthesis", args=[amendment.pk]),
        reverse("notifications:list"),
        reverse("oversight:dashboard", args=[khoi.pk]),
        reverse("inspections:list", args=[khoi.pk]),
        reverse("styleguide"),
    ]


def log_in(browser, live_server, username, viewport, *, javascript=True):
    context = browser.new_context(locale="vi-VN", viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def shot_name(username, path, viewport) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    return SCREENS / f"{username}--{slug}--{viewport['width']}.png"


def test_every_persona_reads_the_main_pages_on_a_laptop_and_a_phone(browser, live_server, demo):
    pages, axe = main_pages(), AXE.read_text(encoding="utf-8")
    problems, checked = [], 0
    SCREENS.mkdir(parents=True, exist_ok=True)
    for username in PERSONAS:
        for viewport in (LAPTOP, PHONE):
            page = log_in(browser, live_server, username, viewport)
            for path in pages:
                response = page.goto(live_server.url + path)
                if response.status in (403, 404):
                    continue
                assert response.status == 200, (username, path, response.status)
                checked += 1
                page.wait_for_load_state("networkidle")
                page.screenshot(path=shot_name(username, path, viewport), full_page=True)
                if viewport is PHONE:
                    sideways = page.evaluate(SIDEWAYS)
                    if sideways["scrolls"] or sideways["out"]:
                        problems.append(f"{username} {path} at 390 px scrolls sideways: {sideways['out']}")
                page.evaluate(axe)  # evaluated, not a <script>: the site's Content-Security-Policy refuses inline ones
                for violation in page.evaluate(AXE_RUN):
                    problems.append(f"{username} {path} at {viewport['width']} px: {violation}")
            page.context.close()
    print(f"\n{checked} pages checked; screenshots in {SCREENS}")
    assert checked > len(PERSONAS) * 2 * 8  # each persona opens most of the main pages
    assert problems == []


def test_the_header_fits_at_1024_is_a_menu_on_a_phone_and_long_content_reads_on_both(browser, live_server, demo):
    for username in ("vanphong.khoi", "btv.thanhuy", "admin"):
        page = log_in(browser, live_server, username, {"width": 1024, "height": 768})
        header = page.locator(".site-header")
        links = page.locator(".site-header .brand, .main-nav > a, .user-box > a, .account summary")
        tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))}
        assert len(tops) == 1, (username, tops)  # every item on one line
        assert header.bounding_box()["height"] < 50
        assert page.evaluate("document.documentElement.scrollWidth") == 1024
        if username == "vanphong.khoi":  # the Khối's long name shortened, in full on hover
            current = page.locator(".current-org")
            expect(current).to_have_attribute("title", "Đảng ủy Khối Cơ quan Dân Chính Đảng thành phố Cần Thơ")
            assert current.evaluate("(e) => e.scrollWidth > e.clientWidth")
        page.context.close()

    # On a phone, with script: a button that says whether the menu is open; Escape closes it.
    page = log_in(browser, live_server, "vanphong.khoi", PHONE)
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav).to_be_hidden()
    assert page.locator(".site-header").bounding_box()["height"] < 60
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Hồ sơ sửa đổi")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()
    page.context.close()

    # Without script: the same menu opens from the keyboard (a checkbox behind the button's label).
    page = log_in(browser, live_server, "vanphong.khoi", PHONE, javascript=False)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav).to_be_hidden()
    page.locator("#menu-toggle").focus()
    page.keyboard.press("Space")
    expect(nav.get_by_role("link", name="Hồ sơ sửa đổi")).to_be_visible()
    page.context.close()

    # On a phone the comparison table stacks and the table of contents follows the reader (the same demo: seeding
    # it is most of a test's time).
    amendment = Amendment.objects.filter(status="in_progress").order_by("pk").first()
    version = Version.objects.filter(status=VersionStatus.IN_FORCE, regulation=amendment.regulation).first()
    page = log_in(browser, live_server, "vanphong.khoi", PHONE)

    page.goto(live_server.url + reverse("reviews:comparison", args=[amendment.pk]) + "?tat_ca=1")
    row = page.locator("table.compare tbody tr").first
    current, proposed = row.locator("td").nth(0).bounding_box(), row.locator("td").nth(1).bounding_box()
    assert proposed["y"] >= current["y"] + current["height"] - 1  # one under the other, not side by side
    assert current["width"] > 300
    named = row.locator("td").nth(1).evaluate("(cell) => getComputedStyle(cell, '::before').content")
    assert named == '"Dự thảo sửa đổi, bổ sung"'  # each part under its column's name

    # The contents: a bar at the top of the screen wherever one reads; an entry chosen closes it. The text came
    # gzip-compressed, its kept blocks between the page's own (quyche/gzipped.py), and Chromium read it whole.
    response = page.goto(live_server.url + reverse("regulations:version", args=[version.pk]))
    assert response.headers["content-encoding"] == "gzip"
    toc = page.locator("details.toc")
    expect(toc).not_to_have_attribute("open", "")
    page.mouse.wheel(0, 6000)
    page.wait_for_timeout(200)
    assert abs(toc.bounding_box()["y"]) < 2
    toc.locator("summary").click()
    entries = toc.get_by_role("link")
    last = entries.nth(entries.count() - 1)
    target = last.get_attribute("href")
    last.click()
    expect(toc).not_to_have_attribute("open", "")
    assert page.evaluate("location.hash") == target
    expect(page.locator(target)).to_be_in_viewport()
    page.context.close()

    # On a laptop it stands open beside the text and stays in view.
    page = log_in(browser, live_server, "vanphong.khoi", LAPTOP)
    page.goto(live_server.url + reverse("regulations:version", args=[version.pk]))
    toc = page.locator("details.toc")
    expect(toc).to_have_attribute("open", "")
    text = page.locator(".doc-body").bounding_box()
    assert toc.bounding_box()["x"] + toc.bounding_box()["width"] <= text["x"]
    page.mouse.wheel(0, 8000)
    page.wait_for_timeout(200)
    box = toc.bounding_box()
    assert 0 <= box["y"] < 40 and box["height"] > 200
    page.context.close()
