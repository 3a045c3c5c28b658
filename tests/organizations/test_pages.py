import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations import selectors, services
from organizations.models import BodyKind, Organization, OrganizationKind, Role
from tests import factories

K = OrganizationKind


def test_it_asks_for_a_login_first(client, cast):
    response = client.get(reverse("organizations:detail", args=[cast.a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_login_page_in_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert "Đăng nhập" in response.content.decode()
    response = client.post(reverse("login"), {"username": "khong-co", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_it_shows_the_organization_page_with_bodies_term_members_and_subordinates(login, cast):
    response = login(cast.btv_a).get(reverse("organizations:detail", args=[cast.a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đảng ủy Khối Cơ quan thử nghiệm" in page
    assert "Ban Thường vụ" in page and "Văn phòng" in page and "Ủy ban Kiểm tra" in page
    assert "Nhiệm kỳ 2025 - 2030" in page
    assert "Ủy viên Ban Thường vụ" in page and "Chuyên viên Văn phòng" in page
    assert "Đảng bộ Sở Tư pháp" in page
    assert "1 TCCSĐ: 1 đảng bộ cơ sở; 1 chi bộ trực thuộc" in page


def test_it_shows_the_header_with_my_organizations(login, cast):
    page = login(cast.office_a).get(reverse("home")).content.decode()
    assert 'aria-label="Tổ chức của tôi"' in page and "Đảng ủy Khối Cơ quan thử nghiệm" in page


@pytest.mark.parametrize("name", ["a", "a_child", "a_cell"])
def test_it_gives_an_outsider_404_on_a_pages(login, cast, name):
    client = login(cast.outsider)
    organization = getattr(cast, name)
    for url in (
        reverse("organizations:detail", args=[organization.pk]),
        reverse("organizations:children", args=[organization.pk]),
        reverse("organizations:add_child", args=[organization.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert organization.name not in response.content.decode()


def test_it_gives_404_for_an_id_that_does_not_exist(login, cast):
    assert login(cast.superior_btv).get(reverse("organizations:detail", args=[999999])).status_code == 404


def test_it_hides_the_subordinates_list_from_a_plain_member(login, cast):
    client = login(cast.member_a)
    page = client.get(reverse("organizations:detail", args=[cast.a.pk])).content.decode()
    assert "Đảng bộ Sở Tư pháp" not in page
    assert "không có quyền xem danh sách tổ chức trực thuộc" in page
    assert client.get(reverse("organizations:detail", args=[cast.a_child.pk])).status_code == 404


def test_it_shows_the_tree_from_the_highest_organization_the_user_may_read(login, cast):
    page = login(cast.btv_a).get(reverse("organizations:tree")).content.decode()
    assert "Đảng ủy Khối Cơ quan thử nghiệm" in page
    assert "Thành ủy Thử nghiệm" not in page
    page = login(cast.superior_btv).get(reverse("organizations:tree")).content.decode()
    assert "Thành ủy Thử nghiệm" in page


def test_the_kept_roots_of_the_tree_follow_a_new_seat_and_a_right_granted(login, cast):
    """The roots are kept for each reader; a seat or a right that widens what they read shows at once."""
    from guardian.shortcuts import assign_perm

    client = login(cast.btv_a)
    tree = reverse("organizations:tree")
    assert "Quận ủy Bình Thủy" not in client.get(tree).content.decode()
    assign_perm("view_organization", cast.btv_a, cast.b)
    assert "Quận ủy Bình Thủy" in client.get(tree).content.decode()
    assert "Thành ủy Thử nghiệm" not in client.get(tree).content.decode()
    factories.seat(cast.btv_a, cast.city, BodyKind.STANDING, Role.STANDING_MEMBER)
    assert "Thành ủy Thử nghiệm" in client.get(tree).content.decode()


def test_it_expands_a_node_with_its_children_and_their_counts(login, cast):
    page = login(cast.btv_a).get(reverse("organizations:children", args=[cast.a.pk])).content.decode()
    assert "Đảng bộ Sở Tư pháp" in page
    assert "1 chi bộ trực thuộc" in page


def test_the_trees_counts_are_kept_between_readers_and_follow_every_change(login, cast):
    """A city's counts of its thousands of organizations are kept for every reader (kept_descendant_counts);
    a new organization, or one removed, shows in them on the next request."""
    client = login(cast.superior_btv)
    tree = reverse("organizations:tree")
    assert "2 đảng bộ cơ sở" in client.get(tree).content.decode()
    assert "2 đảng bộ cơ sở" in login(cast.superior_btv).get(tree).content.decode()  # another session: kept
    added = factories.organization(OrganizationKind.GRASSROOTS_COMMITTEE, parent=cast.b, name="Đảng bộ phường An Cư")
    assert "3 đảng bộ cơ sở" in client.get(tree).content.decode()
    children = client.get(reverse("organizations:children", args=[cast.b.pk])).content.decode()
    assert "Đảng bộ phường An Cư" in children
    added.delete()
    assert "2 đảng bộ cơ sở" in client.get(tree).content.decode()


def test_it_finds_an_organization_typed_without_diacritics(login, cast):
    client = login(cast.superior_btv)
    page = client.get(reverse("organizations:tree"), {"q": "dang bo so tu phap"}).content.decode()
    assert "Đảng bộ Sở Tư pháp" in page
    assert "thuộc Đảng ủy Khối Cơ quan thử nghiệm" in page
    page = client.get(reverse("organizations:tree"), {"q": "BUI HUU NGHIA"}).content.decode()
    assert "Đảng bộ phường Bùi Hữu Nghĩa" in page


def test_it_finds_only_what_the_user_may_read(login, cast):
    page = login(cast.outsider).get(reverse("organizations:tree"), {"q": "tu phap"}).content.decode()
    assert "Đảng bộ Sở Tư pháp" not in page
    assert "Không tìm thấy tổ chức nào" in page


def test_it_returns_only_the_results_for_an_htmx_search(login, cast):
    response = login(cast.superior_btv).get(
        reverse("organizations:tree"), {"q": "tu phap"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="tree-body"
    )
    page = response.content.decode()
    assert "Đảng bộ Sở Tư pháp" in page and "<html" not in page


def _grow(parent, grassroots, cells_each):
    for number in range(grassroots):
        child = factories.organization(K.GRASSROOTS_COMMITTEE, parent=parent, term=False)
        for _ in range(cells_each):
            factories.organization(K.CELL, parent=child, term=False)
        del number


@pytest.mark.parametrize("view", ["organizations:detail", "organizations:children"])
@pytest.mark.usefixtures("uncached_header")
def test_it_counts_descendants_in_a_constant_number_of_queries(login, cast, django_assert_num_queries, view):
    client = login(cast.btv_a)
    url = reverse(view, args=[cast.a.pk])
    _grow(cast.a, 2, 2)
    with django_assert_num_queries(QUERIES[view]):
        small = client.get(url).content.decode()
    _grow(cast.a, 12, 6)
    with django_assert_num_queries(QUERIES[view]):
        large = client.get(url).content.decode()
    assert large.count('class="node"') > small.count('class="node"')
    assert Organization.objects.below(cast.a, include_self=True).count() > 90


@pytest.mark.usefixtures("uncached_header")
def test_it_shows_the_tree_page_in_a_constant_number_of_queries(login, cast, django_assert_num_queries):
    client = login(cast.superior_btv)
    _grow(cast.a, 2, 2)
    with django_assert_num_queries(QUERIES["organizations:tree"]):
        client.get(reverse("organizations:tree"))
    _grow(cast.b, 10, 5)
    with django_assert_num_queries(QUERIES["organizations:tree"]):
        page = client.get(reverse("organizations:tree")).content.decode()
    assert "14 TCCSĐ: 14 đảng bộ cơ sở; 1 đảng bộ cấp huyện; 1 đảng ủy khối; 55 chi bộ trực thuộc" in page


# Session, user, seats, the organization (or roots), children, their counts (with the organization's own
# on its page), what the page adds (terms, bodies, members, ancestors), and the header's counts: what
# awaits the user (two) and unread notifications.
QUERIES = {"organizations:detail": 13, "organizations:children": 6, "organizations:tree": 8}


def test_it_refuses_a_kind_that_may_not_sit_there_with_a_clear_message(login, cast):
    client = login(cast.office_a)
    url = reverse("organizations:add_child", args=[cast.a.pk])
    before = Organization.objects.count()
    response = client.post(url, {"name": "Chi bộ sai", "kind": K.CELL, "code": "X1"})
    assert response.status_code == 200
    assert "Loại tổ chức này không được trực thuộc Đảng ủy Khối Cơ quan thử nghiệm" in response.content.decode()
    response = client.post(url, {"name": "Đảng bộ trùng mã", "kind": K.GRASSROOTS_COMMITTEE, "code": "STP"})
    assert "Mã &quot;STP&quot; đã được dùng" in response.content.decode()
    assert Organization.objects.count() == before


def test_it_adds_a_subordinate_organization(login, cast):
    client = login(cast.office_a)
    response = client.post(
        reverse("organizations:add_child", args=[cast.a.pk]),
        {"name": "Chi bộ Sở Ngoại vụ", "kind": K.GRASSROOTS_CELL, "code": "SNGV"},
        follow=True,
    )
    assert "Đã thêm Chi bộ Sở Ngoại vụ." in response.content.decode()
    created = Organization.objects.get(code="SNGV")
    assert created.parent == cast.a and created.symbol == "CB"


def test_it_refuses_to_let_a_btv_member_add_organizations(login, cast):
    response = login(cast.btv_a).post(
        reverse("organizations:add_child", args=[cast.a.pk]),
        {"name": "Chi bộ mới", "kind": K.GRASSROOTS_CELL, "code": "MOI"},
    )
    assert response.status_code == 403
    assert not Organization.objects.filter(code="MOI").exists()


MORE = re.compile(r'<li class="more"><a href="([^"]+)" hx-get="([^"]+)"')


def test_it_reaches_every_child_of_a_large_organization_page_by_page(login, cast):
    factories.many_children(cast.a, 800)  # with Đảng bộ Sở Tư pháp, 801 children
    client = login(cast.btv_a)
    page = client.get(reverse("organizations:detail", args=[cast.a.pk])).content.decode()
    assert "Tổ chức trực thuộc (801)" in page
    assert page.count('class="node"') == selectors.CHILDREN_PAGE and "Chi bộ cơ sở số 0800" not in page
    seen, pages = set(re.findall(r'id="node-(\d+)"', page)), 1
    while match := MORE.search(page):
        full, fragment = (unescape(url) for url in match.groups())
        page = client.get(fragment, HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in page
        seen |= set(re.findall(r'id="node-(\d+)"', page))
        pages += 1
    assert pages == 17 and "Chi bộ cơ sở số 0800" in page
    assert seen == {str(pk) for pk in Organization.objects.filter(parent=cast.a).values_list("pk", flat=True)}
    # Without htmx, the link of the last page's "Xem thêm" opens the organization page at that page.
    assert "Chi bộ cơ sở số 0800" in client.get(full).content.decode()


def test_it_filters_the_children_of_an_organization_by_name(login, cast):
    factories.many_children(cast.a, 120)
    client = login(cast.btv_a)
    page = client.get(reverse("organizations:detail", args=[cast.a.pk]), {"q": "chi bo co so so 0117"}).content.decode()
    assert "Chi bộ cơ sở số 0117" in page and page.count('class="node"') == 1
    fragment = client.get(reverse("organizations:children", args=[cast.a.pk]), {"q": "0117"}).content.decode()
    assert "Chi bộ cơ sở số 0117" in fragment and "Xem thêm" not in fragment
    fragment = client.get(reverse("organizations:children", args=[cast.a.pk]), {"q": "khong co"}).content.decode()
    assert 'Không có tổ chức trực thuộc nào khớp với "khong co"' in fragment


def test_it_unfolds_a_tree_node_fifty_children_at_a_time_keeping_their_counts(login, cast):
    factories.many_children(cast.a, 60)
    client = login(cast.btv_a)
    page = client.get(reverse("organizations:children", args=[cast.a.pk])).content.decode()
    assert page.count('class="node"') == selectors.CHILDREN_PAGE
    assert "1 chi bộ trực thuộc" in page  # under Đảng bộ Sở Tư pháp, the first child
    _, fragment = (unescape(url) for url in MORE.search(page).groups())
    page = client.get(fragment).content.decode()
    assert page.count('class="node"') == 11 and "Chi bộ cơ sở số 0060" in page and "Xem thêm" not in page


@pytest.mark.parametrize("view", ["organizations:detail", "organizations:children"])
def test_it_shows_a_page_of_children_in_the_same_queries_for_many_more(
    login, cast, django_assert_num_queries, uncached_header, view
):
    client = login(cast.btv_a)
    url = reverse(view, args=[cast.a.pk])
    factories.many_children(cast.a, 60)
    with django_assert_num_queries(QUERIES[view]):
        small = client.get(url).content.decode()
    factories.many_children(cast.a, 240)
    with django_assert_num_queries(QUERIES[view]):
        large = client.get(url).content.decode()
    assert small.count('class="node"') == large.count('class="node"') == selectors.CHILDREN_PAGE
    assert "Xem thêm" in small and "Xem thêm" in large


def test_the_organization_page_shows_a_new_member_a_renamed_one_and_a_new_subordinate_at_once(login, cast):
    """What the page shows of the organization is kept between readers (selectors.organization_page,
    kept_descendant_counts): every change shows on the next request."""
    client = login(cast.btv_a)
    url = reverse("organizations:detail", args=[cast.a.pk])
    assert "1 TCCSĐ: 1 đảng bộ cơ sở; 1 chi bộ trực thuộc" in client.get(url).content.decode()
    newcomer = factories.UserFactory(last_name="Lê Thị", first_name="Mai")
    factories.seat(newcomer, cast.a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    assert "Lê Thị Mai" in client.get(url).content.decode()
    newcomer.first_name = "Lan"
    newcomer.save()  # as the admin saves a person
    page = client.get(url).content.decode()
    assert "Lê Thị Lan" in page and "Lê Thị Mai" not in page
    factories.organization(K.CELL, parent=cast.a_child)
    services.organization_update(organization=cast.city, name="Thành ủy Thử nghiệm mới", code="TUTN", symbol="TU")
    page = client.get(url).content.decode()
    assert "1 TCCSĐ: 1 đảng bộ cơ sở; 2 chi bộ trực thuộc" in page
    assert "<span>Thành ủy Thử nghiệm mới</span>" in page  # the breadcrumb
    services.organization_update(organization=cast.a_child, name="Đảng bộ Sở Tư pháp thành phố", code="STP", symbol="")
    assert "Đảng bộ Sở Tư pháp thành phố" in client.get(url).content.decode()


def test_a_seat_given_or_ended_opens_or_closes_an_organization_at_once(login, cast):
    """The seats a person reads by are kept for the day (organizations.access.seats), and no longer than a
    change of them; the page one reader saw is never shown to another without the right."""
    url = reverse("organizations:detail", args=[cast.a.pk])
    assert "Sở Tư pháp" in login(cast.btv_a).get(url).content.decode()
    outsider = login(cast.outsider)
    response = outsider.get(url)
    assert response.status_code == 404 and "Sở Tư pháp" not in response.content.decode()
    position = factories.seat(cast.outsider, cast.a, BodyKind.STANDING, Role.STANDING_MEMBER)
    assert "Sở Tư pháp" in outsider.get(url).content.decode()
    position.end = timezone.localdate() - datetime.timedelta(days=1)
    position.save()  # as the admin ends a position
    assert outsider.get(url).status_code == 404


def test_each_node_links_to_its_page_and_unfolds_its_children(login, cast):
    page = login(cast.superior_btv).get(reverse("organizations:children", args=[cast.a.pk])).content.decode()
    assert f'<a href="{reverse("organizations:detail", args=[cast.a_child.pk])}">Đảng bộ Sở Tư pháp</a>' in page
    assert f'hx-get="{reverse("organizations:children", args=[cast.a_child.pk])}"' in page
