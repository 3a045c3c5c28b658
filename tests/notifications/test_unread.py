"""The header's count of unread notifications follows what the person does and what they are sent."""

import re

from django.urls import reverse

from notifications import services
from notifications.models import Notification


def unread(client) -> str:
    page = client.get(reverse("organizations:tree")).content.decode()
    found = re.search(r'aria-label="(\d+) chưa đọc"', page)
    return found.group(1) if found else "0"


def notice(user, subject):
    return services.notify(
        recipient_id=user.pk, reason="pdf_ready", subject=subject, title=f"Tệp {subject} đã sẵn sàng",
        body="Bản PDF đã được tạo.", url="/",
    )  # fmt: skip


def test_it_counts_unread_notifications_at_once_after_each_change(login, cast):
    first, _second = notice(cast.member_a, "pdf:1"), notice(cast.member_a, "pdf:2")
    notice(cast.btv_a, "pdf:3")
    client = login(cast.member_a)
    assert unread(client) == "2"
    client.post(reverse("notifications:open", args=[first.pk]))
    assert unread(client) == "1"  # read by following it
    notice(cast.member_a, "pdf:4")
    assert unread(client) == "2"  # a new one
    client.post(reverse("notifications:read_all"))
    assert unread(client) == "0"
    assert unread(login(cast.btv_a)) == "1"  # another person's count is their own


def test_a_scan_that_stores_reminders_shows_them_at_once(login, cast):
    client = login(cast.member_a)
    assert unread(client) == "0"
    services.create([Notification(recipient_id=cast.member_a.pk, reason="review_due", subject="regulation:1",
                                  period="2026-05", title="Sắp đến hạn rà soát", body="", url="/")])  # fmt: skip
    assert unread(client) == "1"


def test_every_notification_is_reached_fifty_to_a_page(login, cast):
    for number in range(1, 62):
        notice(cast.member_a, f"pdf:{number}")
    client = login(cast.member_a)
    first = client.get(reverse("notifications:list")).content.decode()
    assert first.count("Tệp pdf:") == 50 and "Tệp pdf:61 " in first and "Trang sau" in first
    last = client.get(reverse("notifications:list"), {"trang": 2}).content.decode()
    assert last.count("Tệp pdf:") == 11 and "Tệp pdf:1 " in last and "Trang sau" not in last
    assert "Trang trước" in last
    assert client.get(reverse("notifications:list"), {"trang": "x"}).content.decode().count("Tệp pdf:") == 50


def test_the_kept_list_shows_a_new_notification_and_a_read_one_at_once(login, cast):
    first = notice(cast.member_a, "pdf:1")
    client = login(cast.member_a)

    def listed() -> str:
        return client.get(reverse("notifications:list")).content.decode()

    page = listed()
    rows = page[page.index('<ul class="notifications') :]
    assert rows in listed()  # drawn, then kept
    assert page.count('class="card unread"') == 1 and "Tệp pdf:1 " in page
    # Each row's button opens it through the page's one form, which carries this request's token.
    opened = reverse("notifications:open", args=[first.pk])
    assert f'form="open-notification" formaction="{opened}"' in page
    assert re.search(r'<form method="post" id="open-notification" hidden><input type="hidden" name="csrf', page)
    assert client.post(opened).status_code == 302
    assert 'class="card unread"' not in listed()
    notice(cast.member_a, "pdf:2")
    assert listed().count('class="card unread"') == 1 and "Tệp pdf:2 " in listed()
    assert "Tệp pdf:" not in login(cast.btv_a).get(reverse("notifications:list")).content.decode()
