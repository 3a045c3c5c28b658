"""Following a regulation or a dossier from its page (with or without JavaScript), and the list of what one follows."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Follow
from reviews import services as review_services
from tests.regulations import texts


def follow_url(kind, pk):
    return reverse("notifications:follow", args=[kind, pk])


def test_it_follows_a_dossier_from_its_page_without_javascript(login, people, amendment):
    client = login(people.member_a)
    page = client.get(reverse("reviews:detail", args=[amendment.pk])).content.decode()
    assert f'action="{follow_url("ho-so", amendment.pk)}"' in page and ">Theo dõi</button>" in page
    response = client.post(follow_url("ho-so", amendment.pk), {"action": "follow"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:detail", args=[amendment.pk])
    page = response.content.decode()
    assert "Đã theo dõi" in page and "Bỏ theo dõi" in page and "Tắt thông báo" in page
    assert services.followers(amendment) == {people.office_a.pk, people.member_a.pk}


def test_htmx_gets_the_button_alone(login, people, in_force):
    client = login(people.member_a)
    regulation = in_force.regulation
    assert ">Theo dõi</button>" in client.get(reverse("regulations:detail", args=[regulation.pk])).content.decode()
    response = client.post(follow_url("quy-che", regulation.pk), {"action": "follow"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content.decode().startswith("<form")
    muted = client.post(follow_url("quy-che", regulation.pk), {"action": "mute"}, HTTP_HX_REQUEST="true")
    assert "đã tắt thông báo" in muted.content.decode() and "Bật thông báo" in muted.content.decode()
    assert Follow.objects.get(user=people.member_a).muted and services.followers(regulation) == set()


def test_an_outsider_cannot_follow_another_committees_dossier_or_regulation_by_id(login, people, amendment):
    client = login(people.outsider)
    for kind, pk in (("ho-so", amendment.pk), ("quy-che", amendment.regulation_id)):
        assert client.post(follow_url(kind, pk), {"action": "follow"}).status_code == 404
    assert client.post(follow_url("van-ban", amendment.draft_id), {"action": "follow"}).status_code == 404
    assert client.get(follow_url("ho-so", amendment.pk)).status_code == 405
    assert not Follow.objects.filter(user=people.outsider).exists()


def test_a_link_elsewhere_is_not_followed_back(login, people, amendment):
    response = login(people.member_a).post(
        follow_url("ho-so", amendment.pk), {"action": "follow", "next": "https://example.com/"}
    )
    assert response.url == reverse("reviews:detail", args=[amendment.pk])


def test_muting_what_one_does_not_follow_says_so_and_changes_nothing(login, people, amendment):
    response = login(people.member_a).post(follow_url("ho-so", amendment.pk), {"action": "mute"}, follow=True)
    assert "chưa theo dõi" in response.content.decode()
    assert not Follow.objects.filter(user=people.member_a).exists()


@pytest.mark.usefixtures("uncached_header")
def test_the_list_of_what_i_follow_unfollows_and_costs_the_same_queries_for_one_or_many(
    login, people, amendment, import_text, django_assert_num_queries
):
    client = login(people.office_a)  # follows the dossier it created
    # Session, user, the follows, the dossiers, seats, the header's counts (five for an office: its findings to
    # remedy and its regulations due for review too).
    with django_assert_num_queries(10):
        page = client.get(reverse("notifications:follows")).content.decode()
    assert amendment.title in page and "Hồ sơ sửa đổi" in page
    for number in range(3):
        version = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number=f"1{number}-QC/ĐUK"))
        services.follow(user=people.office_a, target=version.regulation)
        review_services.amendment_start(regulation=version.regulation, user=people.office_a)
    with django_assert_num_queries(11):  # and the regulations
        page = client.get(reverse("notifications:follows")).content.decode()
    assert page.count("Bỏ theo dõi") == 7

    response = client.post(follow_url("ho-so", amendment.pk), {"action": "unfollow", "next": "/thong-bao/theo-doi/"})
    assert response.url == reverse("notifications:follows")
    page = client.get(response.url).content.decode()
    assert page.count("Bỏ theo dõi") == 6 and f'href="/sua-doi/{amendment.pk}/"' not in page


def test_the_list_of_what_i_follow_comes_a_page_at_a_time_newest_first(
    login, people, amendment, import_text, monkeypatch
):
    monkeypatch.setattr("quyche.paging.PAGE_SIZE", 4)
    for number in range(3):
        version = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number=f"2{number}-QC/ĐUK"))
        review_services.amendment_start(regulation=version.regulation, user=people.office_a)  # followed by default
        services.follow(user=people.office_a, target=version.regulation)
    client = login(people.office_a)
    first = client.get(reverse("notifications:follows")).content.decode()
    assert first.count("Bỏ theo dõi") == 4 and "trang=2" in first
    second = client.get(reverse("notifications:follows"), {"trang": 2}).content.decode()
    assert second.count("Bỏ theo dõi") == 3 and "trang=1" in second and "trang=3" not in second
    assert f'href="/sua-doi/{amendment.pk}/"' in second  # the oldest, followed first, comes last


def test_the_kept_button_on_a_page_shows_each_change_of_the_follow_at_once(login, people, in_force):
    client = login(people.member_a)
    regulation = in_force.regulation

    def button() -> str:
        page = client.get(reverse("regulations:detail", args=[regulation.pk])).content.decode()
        return page[page.index('<form method="post" action="' + follow_url("quy-che", regulation.pk)) :][:900]

    assert ">Theo dõi</button>" in button() and ">Theo dõi</button>" in button()  # found, then kept
    client.post(follow_url("quy-che", regulation.pk), {"action": "follow"})
    assert "Tắt thông báo" in button()
    client.post(follow_url("quy-che", regulation.pk), {"action": "mute"})
    assert "Bật thông báo" in button()
    client.post(follow_url("quy-che", regulation.pk), {"action": "unfollow"})
    assert ">Theo dõi</button>" in button()
    services.follows_add(user_ids=[people.member_a.pk], target=regulation)  # as a working group's members
    assert "Tắt thông báo" in button()
    Follow.objects.filter(user=people.member_a).delete()  # as the admin deletes it
    assert ">Theo dõi</button>" in button()
