import csv
import datetime
import html
import io
import re

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from organizations.models import Organization, OrganizationKind
from regulations import services as regulation_services
from regulations.models import RegulationKind
from reviews import services as review_services
from reviews.models import Amendment, AmendmentStatus
from tests import factories
from tests.regulations import texts

K = OrganizationKind


@pytest.fixture
def subtree(cast, import_text):
    """Under A: a_child with a QCLV of this term (issued 15/9/2025, due for review 15/3/2026),
    and two more grassroots organizations without one."""
    version = import_text(
        texts.regulation_text([texts.ARTICLES["scope"]], number="01-QC/ĐU"), organization=cast.a_child
    )
    for name in ("Chi bộ Báo Cần Thơ", "Chi bộ Sở Ngoại vụ"):
        factories.organization(K.GRASSROOTS_CELL, parent=cast.a, name=name)
    return version


def url(organization, **params):
    return reverse("oversight:dashboard", args=[organization.pk]), params


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV export, which is sent as it is written (streamed), not built whole first."""
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def shown_rows(response) -> list[str]:
    """The organizations of the dashboard's rows, in their order on the page."""
    table = response.content.decode().split('<table class="table dashboard">', 1)[1].split("</table>", 1)[0]
    return [html.unescape(name) for name in re.findall(r'<tr class="[^"]*">\s*<td><a href="[^"]+">([^<]*)</a>', table)]


def get(client, organization, **params):
    path, params = url(organization, **params)
    with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
        return client.get(path, params)


def test_it_shows_every_organization_below_with_the_state_of_its_regulation(login, cast, subtree):
    page = get(login(cast.superior_btv), cast.a).content.decode()
    assert "4 tổ chức (3 TCCSĐ): 1 có quy chế làm việc hiện hành, 3 chưa có; 1 quá hạn rà soát; 0 đang sửa đổi" in page
    assert "01-QC/ĐU" in page and "Quá hạn 17 ngày" in page
    assert "Chi bộ Báo Cần Thơ" in page and "Chi bộ Văn phòng Sở" in page


def test_it_filters_by_status_kind_and_subtree(login, cast, subtree):
    client = login(cast.superior_btv)

    def listed(**params):
        page = get(client, cast.a, **params).content.decode()
        return page, {name for name in ROW_NAMES if f">{name}</a>" in page}

    page, names = listed(status="overdue")
    assert names == {"Đảng bộ Sở Tư pháp"}
    page, names = listed(status="missing")
    assert names == {"Chi bộ Báo Cần Thơ", "Chi bộ Sở Ngoại vụ", "Chi bộ Văn phòng Sở"}
    page, names = listed(kind=K.GRASSROOTS_CELL)
    assert "2 tổ chức (2 TCCSĐ)" in page and names == {"Chi bộ Báo Cần Thơ", "Chi bộ Sở Ngoại vụ"}
    page, names = listed(within=cast.a_child.pk)
    assert "2 tổ chức" in page and names == {"Đảng bộ Sở Tư pháp", "Chi bộ Văn phòng Sở"}


ROW_NAMES = ("Đảng bộ Sở Tư pháp", "Chi bộ Văn phòng Sở", "Chi bộ Báo Cần Thơ", "Chi bộ Sở Ngoại vụ")


@pytest.mark.parametrize("name", ["outsider", "member_a", "office_child"])
def test_it_hides_the_dashboard_from_those_who_do_not_audit(login, people, subtree, name):
    # A sibling's people, a plain committee member, a subordinate's office: the page does not exist for them.
    client = login(getattr(people, name))
    assert get(client, people.a).status_code == 404
    api = APIClient()
    api.force_authenticate(getattr(people, name))
    assert api.get(f"/api/organizations/{people.a.pk}/oversight/").status_code == 404


def test_it_lets_a_subordinate_see_its_own_subtree_but_not_its_superiors(login, people, subtree):
    assert get(login(people.btv_a), people.a).status_code == 200
    assert get(login(people.btv_a), people.city).status_code == 404


def test_it_exports_the_same_rows_as_csv_and_xlsx(login, cast, subtree):
    client = login(cast.superior_btv)
    with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
        csv_response = client.get(reverse("oversight:export", args=[cast.a.pk, "csv"]), {"status": "overdue"})
        xlsx_response = client.get(reverse("oversight:export", args=[cast.a.pk, "xlsx"]))
    rows = csv_rows(csv_response)
    assert rows[0][:4] == ["Tổ chức", "Loại", "Trực thuộc", "Quy chế làm việc hiện hành"]
    assert rows[1][:6] == ["Đảng bộ Sở Tư pháp", "Đảng bộ cơ sở", cast.a.name, "Có", "01-QC/ĐU", "15/09/2025"]
    assert rows[1][rows[0].index("Số ngày quá hạn")] == "17"
    assert len(rows) == 2
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Đảng bộ Sở Tư pháp", "Chi bộ Văn phòng Sở", "Chi bộ Báo Cần Thơ", "Chi bộ Sở Ngoại vụ"]


def test_the_api_returns_the_same_rows(cast, subtree):
    api = APIClient()
    api.force_authenticate(cast.superior_btv)
    with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
        data = api.get(f"/api/organizations/{cast.a.pk}/oversight/", {"status": "overdue"}).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["name"], row["current_rules"], row["rules_number"], row["days_overdue"]) == (
        "Đảng bộ Sở Tư pháp", True, "01-QC/ĐU", 17,
    )  # fmt: skip


def api_get(user, organization, **params):
    api = APIClient()
    api.force_authenticate(user)
    with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
        return api.get(f"/api/organizations/{organization.pk}/oversight/", params)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "overdue"},
        {"status": "missing"},
        {"kind": K.GRASSROOTS_CELL},
        {"within": "a_child"},
        {"within": "a_child", "status": "missing"},
    ],
)
def test_the_page_its_export_and_the_api_filter_the_same_rows(login, cast, subtree, params):
    params = {key: getattr(cast, value).pk if key == "within" else value for key, value in params.items()}
    client = login(cast.superior_btv)
    on_page = shown_rows(get(client, cast.a, **params))
    with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
        export = client.get(reverse("oversight:export", args=[cast.a.pk, "csv"]), params)
    exported = [line[0] for line in csv_rows(export)[1:]]
    from_api = [row["name"] for row in api_get(cast.superior_btv, cast.a, **params).json()["results"]]
    assert on_page and on_page == exported == from_api


@pytest.mark.parametrize(
    "param, value, message",
    [
        ("kind", "zzz", "Hãy chọn một lựa chọn hợp lệ. zzz không phải là một trong các lựa chọn khả thi."),
        ("status", "zzz", "Hãy chọn một lựa chọn hợp lệ. zzz không phải là một trong các lựa chọn khả thi."),
        ("within", "abc", "Hãy chọn một tổ chức trực thuộc tổ chức đang giám sát."),
        ("within", "a_cell", "Hãy chọn một tổ chức trực thuộc tổ chức đang giám sát."),  # below, not directly
        ("within", "a", "Hãy chọn một tổ chức trực thuộc tổ chức đang giám sát."),  # the audited organization itself
        ("within", "b", "Hãy chọn một tổ chức trực thuộc tổ chức đang giám sát."),
    ],
)
def test_a_refused_filter_shows_every_row_on_the_page_and_answers_400_in_the_api(
    login, cast, subtree, param, value, message
):
    value = getattr(cast, value).pk if hasattr(cast, value) else value
    response = get(login(cast.superior_btv), cast.a, **{param: value})
    assert len(shown_rows(response)) == 4 and response.context["form"].errors == {param: [message]}
    response = api_get(cast.superior_btv, cast.a, **{param: value})
    assert response.status_code == 400 and response.json() == {param: [message]}


def test_it_shows_conformance_to_a_model(login, cast, import_text):
    model = import_text(texts.regulation_text([texts.ARTICLES["scope"], texts.ARTICLES["btv"]], number="09-QC/TU"),
                        organization=cast.city)  # fmt: skip
    model.regulation.kind = RegulationKind.MODEL
    model.regulation.save()
    adapted = import_text(
        texts.regulation_text([texts.ARTICLES["scope"]], number="01-QC/ĐU"), organization=cast.a_child
    )
    regulation_services.regulation_link_model(regulation=adapted.regulation, model=model.regulation, user=None)
    page = get(login(cast.superior_btv), cast.a).content.decode()
    assert reverse("regulations:conformance", args=[adapted.regulation.pk]) in page and ">50%<" in page


@pytest.mark.usefixtures("uncached_header")
def test_it_runs_a_constant_number_of_queries_whatever_the_subtree(login, cast, subtree, django_assert_num_queries):
    client = login(cast.superior_btv)
    get(client, cast.a)
    with django_assert_num_queries(QUERIES):
        get(client, cast.a)
    for number in range(25):
        factories.organization(K.GRASSROOTS_CELL, parent=cast.a, name=f"Chi bộ thêm {number}", term=bool(number % 2))
    with django_assert_num_queries(QUERIES):
        assert "29 tổ chức" in get(client, cast.a).content.decode()


@pytest.mark.usefixtures("uncached_header")
def test_a_filtered_page_costs_one_query_more_for_the_chosen_branch(login, cast, subtree, django_assert_num_queries):
    client = login(cast.superior_btv)
    get(client, cast.a)
    with django_assert_num_queries(QUERIES + 1):
        get(client, cast.a, within=cast.a_child.pk)


# Session, user, the organization, seats, the page's rows, the summary (which counts them too), findings,
# and the header's three counts. Conformance is read with the rows; the branches are no list of choices.
QUERIES = 10


@pytest.mark.parametrize(
    ("within", "expected"),
    [
        ("a_child", {"Đảng bộ Sở Tư pháp", "Chi bộ Văn phòng Sở"}),  # that child and everything under it
        ("a", None),  # the audited organization is not one of its branches: refused
        ("b", None),  # neither is one outside the subtree
    ],
)
def test_the_page_and_the_api_filter_within_alike(login, cast, subtree, within, expected):
    within = getattr(cast, within).pk
    page = get(login(cast.superior_btv), cast.a, within=within).content.decode()
    api = APIClient()
    api.force_authenticate(cast.superior_btv)
    with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
        response = api.get(f"/api/organizations/{cast.a.pk}/oversight/", {"within": within})
    shown = {name for name in ROW_NAMES if f">{name}</a>" in page}
    if expected is None:
        # The page shows every row and says why the filter was not applied; the API refuses.
        assert shown == set(ROW_NAMES) and "<li>Thuộc: Hãy chọn một tổ chức trực thuộc tổ chức đang giám sát." in page
        assert response.status_code == 400 and "within" in response.json()
    else:
        assert shown == expected and f'name="within" id="id_within" value="{within}"' in page
        assert 'name="within_name" id="id_within_name" value="Đảng bộ Sở Tư pháp"' in page
        assert {row["name"] for row in response.json()["results"]} == expected


@pytest.mark.parametrize(
    ("now", "closed", "day", "overdue"),
    [
        # 23:30 in Hà Nội is 16:30 UTC the same day; 00:30 is 17:30 UTC the day before.
        ("2026-03-31 23:30 +07:00", "2026-03-31 23:30 +07:00", datetime.date(2026, 3, 31), 16),
        ("2026-04-01 00:30 +07:00", "2026-04-01 00:30 +07:00", datetime.date(2026, 4, 1), 17),
    ],
)
def test_exports_count_days_in_ha_noi_time_at_any_hour(login, people, subtree, now, closed, day, overdue):
    amendment = review_services.amendment_start(regulation=subtree.regulation, user=people.office_child, reason="Rà")
    closed_at = datetime.datetime.fromisoformat(closed)
    Amendment.objects.filter(pk=amendment.pk).update(status=AmendmentStatus.ISSUED, closed_at=closed_at)
    client = login(people.superior_btv)
    with time_machine.travel(now, tick=False):
        page = client.get(reverse("oversight:dashboard", args=[people.a.pk]), {"status": "overdue"}).content.decode()
        csv_response = client.get(reverse("oversight:export", args=[people.a.pk, "csv"]), {"status": "overdue"})
        xlsx_response = client.get(reverse("oversight:export", args=[people.a.pk, "xlsx"]), {"status": "overdue"})
    assert f"{day:%d/%m/%Y}" in page and f"Quá hạn {overdue} ngày" in page
    header, row = csv_rows(csv_response)
    assert row[header.index("Sửa đổi gần nhất")] == f"{day:%d/%m/%Y}"
    assert row[header.index("Số ngày quá hạn")] == str(overdue)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    titles = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=titles.index("Sửa đổi gần nhất") + 1)
    assert cell.value.date() == day and cell.number_format == "DD/MM/YYYY"


def test_the_xlsx_is_a_real_table_and_runs_no_formula(login, cast, subtree):
    factories.organization(K.GRASSROOTS_CELL, parent=cast.a, name='=HYPERLINK("https://evil.example","Bấm")')
    client = login(cast.superior_btv)
    with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
        xlsx = client.get(reverse("oversight:export", args=[cast.a.pk, "xlsx"]))
        rows = csv_rows(client.get(reverse("oversight:export", args=[cast.a.pk, "csv"])))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert sheet.column_dimensions["A"].width >= 40
    issued = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("Ngày ban hành") + 1)
    assert issued.value.date() == datetime.date(2025, 9, 15) and issued.number_format == "DD/MM/YYYY"
    evil = next(row[0] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[0].value))
    assert evil.data_type == "s" and evil.value.startswith("=HYPERLINK")
    assert '\'=HYPERLINK("https://evil.example","Bấm")' in [row[0] for row in rows]


def test_the_export_links_follow_the_filter_chosen_on_the_page(login, cast, subtree):
    client = login(cast.superior_btv)
    with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
        path = reverse("oversight:dashboard", args=[cast.a.pk])
        partial = client.get(path, {"status": "missing", "trang": "1"}, HTTP_HX_REQUEST="true").content.decode()
    exports = partial[partial.index('id="dashboard-exports"') :]
    assert 'hx-swap-oob="true"' in partial
    assert "xuat.csv?status=missing" in exports and "trang" not in exports.split("</span>")[0]


def test_the_figures_kept_between_readers_follow_every_change_at_once(login, cast, subtree, import_text):
    """The page's rows and summary are kept for every auditor (they are computed over the whole subtree),
    and computed afresh as soon as a regulation, an amendment, an organization or a finding changes."""
    from inspections import services as inspection_services

    client = login(cast.superior_btv)

    def summary():
        page = get(client, cast.a).content.decode()
        assert "số liệu lúc" in page
        return page.split('id="dashboard-summary"', 1)[1].split("<small", 1)[0]

    assert "1 có quy chế làm việc hiện hành, 3 chưa có" in summary()
    cell = factories.organization(K.GRASSROOTS_CELL, parent=cast.a, name="Chi bộ Sở Tư pháp")
    assert "5 tổ chức (4 TCCSĐ): 1 có quy chế làm việc hiện hành, 4 chưa có" in summary()
    import_text(texts.regulation_text([texts.ARTICLES["scope"]], number="01-QC/CB"), organization=cell)
    assert "2 có quy chế làm việc hiện hành, 3 chưa có" in summary()
    admin = factories.UserFactory(is_superuser=True)
    review_services.amendment_start(regulation=subtree.regulation, user=admin, reason="Rà soát định kỳ")
    assert "1 đang sửa đổi" in summary()
    with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
        inspection = inspection_services.inspection_create(
            inspecting=cast.a, inspected=cell, user=admin, kind="inspection", date=datetime.date(2026, 3, 20),
            team="Đoàn kiểm tra của Ban Thường vụ", scope="Việc ban hành quy chế làm việc.",
        )  # fmt: skip
        assert "chưa khắc phục" not in get(client, cast.a).content.decode()
        inspection_services.finding_add(
            inspection=inspection, user=admin, kind="fault", description="Chưa họp định kỳ.",
            remediation="Họp thường kỳ hằng tháng.", deadline=datetime.date(2026, 5, 1),
        )  # fmt: skip
    assert "1 chưa khắc phục" in get(client, cast.a).content.decode()


def test_a_download_is_kept_until_a_regulation_or_an_amendment_changes(login, cast, subtree, import_text):
    """The exports are kept for every auditor as the page's figures are: a second download is read, not
    computed, and a regulation or an amendment written since makes the next one afresh."""
    client = login(cast.superior_btv)

    def downloaded() -> tuple[list, list]:
        with time_machine.travel("2026-04-01 09:00 +07:00", tick=False):
            lines = csv_rows(client.get(reverse("oversight:export", args=[cast.a.pk, "csv"])))
            xlsx = client.get(reverse("oversight:export", args=[cast.a.pk, "xlsx"])).content
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        assert [line[0] for line in lines] == [row[0] for row in cells]
        return lines, cells

    first, _ = downloaded()
    # Renamed behind the services' back (no write of ours tells the cache): the kept files are sent.
    Organization.objects.filter(pk=cast.a_cell.pk).update(name="Chi bộ đổi tên")
    assert downloaded()[0] == first

    cell = Organization.objects.get(parent=cast.a, name="Chi bộ Báo Cần Thơ")
    import_text(texts.regulation_text([texts.ARTICLES["scope"]], number="01-QC/CB"), organization=cell)
    lines, cells = downloaded()
    assert "Chi bộ đổi tên" in [line[0] for line in lines]
    row = next(line for line in lines if line[0] == "Chi bộ Báo Cần Thơ")
    assert row[3:5] == ["Có", "01-QC/CB"] and [c for c in cells if c[0] == "Chi bộ Báo Cần Thơ"][0][3:5] == row[3:5]

    admin = factories.UserFactory(is_superuser=True)
    review_services.amendment_start(regulation=subtree.regulation, user=admin, reason="Rà soát định kỳ")
    lines, cells = downloaded()
    stage = lines[0].index("Đang sửa đổi ở bước")
    assert lines[1][0] == "Đảng bộ Sở Tư pháp" and lines[1][stage] == cells[1][stage] != ""
