import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reviews import services
from reviews.models import Amendment, Event

BEFORE = [("reviews", "0006_move_out")]
AFTER = [("reviews", "0007_event_status")]

# After the create the service wrote, each amendment's events as they were recorded before statuses were.
HISTORIES = {
    "issued": ["submit", "approve", "approve", "issue"],
    "rejected": ["submit", "return", "submit", "reject"],
    "adopted": ["submit", "approve"],
}


@pytest.mark.django_db(transaction=True)
def test_it_fills_in_the_statuses_of_the_events_recorded_before_them(people, in_force):
    amendments = {}
    for status in HISTORIES:  # one open amendment at a time: each is closed (or last) before the next
        amendments[status] = services.amendment_start(regulation=in_force.regulation, user=people.office_a)
        Amendment.objects.filter(pk=amendments[status].pk).update(status=status)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        OldEvent = executor.loader.project_state(BEFORE).apps.get_model("reviews", "Event")
        for status, actions in HISTORIES.items():
            for action in actions:
                OldEvent.objects.create(amendment_id=amendments[status].pk, actor_id=people.office_a.pk, action=action)
        executor.loader.build_graph()
        executor.migrate(AFTER)
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    def changes(status):
        return list(Event.objects.filter(amendment=amendments[status]).values_list("from_status", "to_status"))

    created, going, adopted = ("", "in_progress"), ("in_progress", "in_progress"), ("in_progress", "adopted")
    assert changes("issued") == [created, going, going, adopted, ("adopted", "issued")]
    assert changes("rejected") == [created, going, going, going, ("in_progress", "rejected")]
    assert changes("adopted") == [created, going, adopted]
