from django.apps import apps
from django.core.management import call_command

from organizations import selectors
from organizations.models import Organization


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_it_builds_the_can_tho_bloc_as_the_seeds_describe_it(db, capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    bloc = Organization.objects.get(code="KDCD")
    counts = selectors.descendant_counts([bloc])[bloc.pk]
    assert selectors.counts_label(counts) == (
        "97 TCCSĐ: 54 đảng bộ cơ sở, 43 chi bộ cơ sở; 3 đảng bộ bộ phận; 424 chi bộ trực thuộc"
    )
    assert Organization.objects.filter(kind="party_delegation", name__contains="Hội đồng nhân dân").exists()
    assert Organization.objects.filter(kind="party_affairs", name__contains="Ủy ban nhân dân").exists()
    for username in ("vanphong.khoi", "btv.khoi", "bch.khoi", "btv.thanhuy", "bithu.ninhkieu"):
        assert username in output
    assert "QuyChe@2026" in output


def test_it_changes_nothing_when_run_again(db):
    call_command("seed_demo")
    before = row_counts()
    call_command("seed_demo")
    assert row_counts() == before
