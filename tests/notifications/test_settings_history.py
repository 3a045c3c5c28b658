"""Who changed a reminder threshold or how they receive notifications, when, and from what."""

import pytest

from notifications import services
from notifications.models import EmailPreferenceChange, ReminderSettings
from organizations import services as organizations
from organizations.models import EmailMode, OrganizationKind


def test_it_keeps_each_reminder_threshold_with_who_set_it(people):
    services.reminder_settings_save(organization=people.a, user=people.office_a, stalled_stage_days=3)
    services.reminder_settings_save(organization=people.a, user=people.office_a, stalled_stage_days=7)
    row = ReminderSettings.objects.get(organization=people.a)
    latest, previous = row.history.order_by("-history_date", "-history_id")[:2]
    assert (latest.stalled_stage_days, latest.history_user) == (7, people.office_a)
    assert (previous.stalled_stage_days, previous.history_user) == (3, people.office_a)


def test_it_records_a_change_of_how_a_person_receives_notifications(people):
    user = people.member_a
    before = (user.email_mode, user.email)
    services.email_mode_save(user=user, email_mode=EmailMode.DIGEST, email="moi@example.vn")
    services.email_mode_save(user=user, email_mode=EmailMode.DIGEST, email="moi@example.vn")  # nothing changes
    change = EmailPreferenceChange.objects.get(user=user)
    assert (change.previous_email_mode, change.previous_email) == before
    assert (change.email_mode, change.email) == (EmailMode.DIGEST, "moi@example.vn")


@pytest.mark.parametrize("with_user", [True, False])
def test_it_records_who_created_an_organization(cast, with_user):
    user = cast.office_a if with_user else None
    created = organizations.organization_create(
        name="Chi bộ mới", kind=OrganizationKind.CELL, code="M", parent=cast.a_child, user=user
    )
    created.refresh_from_db()
    assert created.created_by == user and created.created_at is not None
