"""Which articles and clauses of a new version continue which of the old: the keys an import carries over.

matching.json holds the pairs the import gave before articles were keyed by content (commit 743f081,
when every old article was scored against every new one), for the corpus and demo texts and for a
300-article text revised in two ways; the import must still give exactly those.
"""

import json
from pathlib import Path

import pytest

from regulations import services
from regulations.models import Provision, ProvisionKind
from tests.regulations import texts

DEMO = Path(__file__).resolve().parents[2] / "demo" / "texts"
BEFORE = json.loads(Path(__file__).with_name("matching.json").read_text(encoding="utf-8"))


def read(name: str) -> str:
    path = texts.CORPUS / name if (texts.CORPUS / name).exists() else DEMO / name
    return path.read_text(encoding="utf-8")


def carried(old, new) -> list[str]:
    """ "old→new" for every article and clause of `new` that continues one of `old` ("5→6", "5.2→6.3")."""

    def paths(version):
        rows = Provision.objects.filter(
            version=version, kind__in=[ProvisionKind.ARTICLE, ProvisionKind.CLAUSE]
        ).select_related("article")
        return {
            row.key: row.label if row.kind == ProvisionKind.ARTICLE else f"{row.article.label}.{row.label}"
            for row in rows
        }

    old_paths, new_paths = paths(old), paths(new)
    return sorted(f"{old_paths[key]}→{path}" for key, path in new_paths.items() if key in old_paths)


def import_pair(organization, old_text: str, new_text: str):
    """The old text as a regulation of its own, then the new one as its next version (a draft)."""
    old = services.regulation_import(text=old_text, user=None, organization=organization).version
    new = services.regulation_import(
        text=new_text, user=None, regulation=old.regulation, corrections={"number": ""}
    ).version
    return old, new


@pytest.mark.parametrize(
    "old_name, new_name",
    [
        (texts.AMENDING, texts.OCR),  # the same decree, clean and as raw OCR
        (texts.OCR, texts.AMENDING),
        ("qclv-khoi-2025.txt", "qclv-khoi-2026.txt"),  # the demo's two versions, both ways
        ("qclv-khoi-2026.txt", "qclv-khoi-2025.txt"),
        ("quy-che-mau-dang-bo-co-so.txt", "qclv-stp-2025.txt"),  # a model and a regulation adapting it
        ("qclv-khoi-2025.txt", "qclv-ubkt-khoi-2025.txt"),  # two regulations of one bloc
        (texts.CONG_HAI, texts.GOVERNMENT),  # nothing in common
    ],
)
def test_it_carries_over_the_same_articles_and_clauses_as_before_on_real_texts(cast, old_name, new_name):
    old, new = import_pair(cast.a, read(old_name), read(new_name))
    assert carried(old, new) == BEFORE[f"{old_name} {new_name}"]


@pytest.mark.parametrize("reworded", [30, 281], ids=["30 reworded", "all reworded"])
def test_it_follows_300_articles_through_insertions_removals_moves_and_rewording(cast, reworded):
    articles = texts.long_articles(300)
    revised, origins = texts.long_revision(articles, reworded=reworded)
    old, new = import_pair(cast.a, texts.regulation_text(articles), texts.regulation_text(revised))
    pairs = carried(old, new)
    # Every article continues the one it was made from; the removed, inserted and rewritten continue none.
    assert [pair for pair in pairs if "." not in pair] == sorted(
        f"{origin + 1}→{index + 1}" for index, origin in enumerate(origins) if origin is not None
    )
    assert pairs == BEFORE[f"long {reworded}"]
