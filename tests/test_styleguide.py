"""/giao-dien/: the shared components with the markup to copy, for the staff who build pages; nobody else's."""

from django.urls import reverse

from tests import factories


def test_it_shows_the_staff_each_component_beside_its_markup(login, db):
    staff = factories.UserFactory(username="builder", is_staff=True)
    response = login(staff).get(reverse("styleguide"))
    assert response.status_code == 200
    page = response.content.decode()
    titles = (
        "Đường dẫn", "Tiêu đề trang và thao tác", "Thẻ", "Bảng", "Nhãn", "Biểu mẫu và nút", "Chọn một trong hàng trăm",
        "Mục lục",
    )  # fmt: skip
    for title in titles:
        assert f">{title}</h2>" in page
    # Drawn, and shown as markup to copy.
    assert '<span class="status status-in_force">Có hiệu lực</span>' in page
    assert "&lt;span class=&quot;status status-in_force&quot;&gt;Có hiệu lực&lt;/span&gt;" in page
    assert 'aria-current="page">Bảng đối chiếu</li>' in page
    assert 'role="combobox"' in page and "&lt;span class=&quot;chooser&quot; data-chooser&gt;" in page


def test_it_is_not_found_for_anyone_else(login, cast, client):
    assert client.get(reverse("styleguide")).status_code == 302  # to the login page
    for user in (cast.office_a, cast.superior_btv, cast.outsider):
        assert login(user).get(reverse("styleguide")).status_code == 404
