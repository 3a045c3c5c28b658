"""Lược đồ: a regulation among the documents around it, as the national legal database shows each document's.

The documents it is based on (its legal bases, each with the register's documents it cites: căn cứ), the
model it adapts (based_on), the texts that amended and replaced it one after another and the decisions that
repealed them, and the regulations lower down adapted from it (for a model); each with its status. Read in a
fixed number of queries whatever the number of bases, versions or adaptations (the page's count is pinned).
"""

from dataclasses import dataclass

from organizations.access import readable

from .access import can_view_regulation
from .models import Regulation, SuperiorDocument, Version
from .services import document_numbers

# A model of a province may be adapted by hundreds of organizations: the page lists these, and says how many more.
ADAPTATIONS_SHOWN = 50


@dataclass
class Basis:
    """One legal basis as the text writes it, with the register's documents it cites (their status there)."""

    text: str
    documents: list[SuperiorDocument]


@dataclass
class Step:
    """An issued text of the regulation: the first, or one that amended and replaced the text before it."""

    version: Version
    replaced: Version | None
    amendment: object | None  # the dossier (reviews' Amendment) that made it, if one did


@dataclass
class Relationships:
    bases: list[Basis]
    model: Regulation | None
    steps: list[Step]
    repealed: list[Version]  # the texts a recorded decision repealed
    adaptations: list[Regulation]
    more_adaptations: int


def relationships(
    regulation: Regulation, *, user, versions: list[Version], amendments: list, bases: list[Basis] | None = None
) -> Relationships:
    """The regulation's lược đồ, from its `versions` and `amendments` (as its page reads them) and at most
    three queries more: the cited documents (unless the page read its `bases`: `bases_of`), the model, the
    adaptations the user may read (and their count)."""
    by_pk = {version.pk: version for version in versions}
    made_by = {amendment.draft_id: amendment for amendment in amendments}
    issued = [version for version in versions if not version.is_draft]
    steps = [Step(v, by_pk.get(v.replaces_id), made_by.get(v.pk)) for v in issued]
    return Relationships(
        bases=bases_of(regulation, versions) if bases is None else bases,
        model=_model(regulation, user),
        steps=steps,
        repealed=[version for version in issued if version.repealed_by_number],
        **_adaptations(regulation, user),
    )


def bases_of(regulation: Regulation, versions: list[Version]) -> list[Basis]:
    """The legal bases of the text in force (one of `versions`), each with the register's documents it cites."""
    version = next((version for version in versions if version.pk == regulation.current_version_id), None)
    if version is None or not version.legal_bases:
        return []
    documents = {document.number: document for document in version.cited_documents.select_related("replaced_by")}
    return [
        Basis(basis, [documents[number] for number in sorted(document_numbers(basis)) if number in documents])
        for basis in version.legal_bases
    ]


def _model(regulation: Regulation, user) -> Regulation | None:
    if regulation.based_on_id is None:
        return None
    model = (
        Regulation.objects.select_related("organization", "current_version")
        .defer("current_version__source_text")
        .filter(pk=regulation.based_on_id)
        .first()
    )
    return model if model is not None and can_view_regulation(user, model) else None


def _adaptations(regulation: Regulation, user) -> dict:
    if not regulation.is_model:
        return {"adaptations": [], "more_adaptations": 0}
    adaptations = (
        Regulation.objects.filter(based_on=regulation)
        .filter(readable(user, "organization"))
        .select_related("organization", "current_version")
        .defer("current_version__source_text")
        .order_by("organization__name", "title", "pk")
    )
    shown = list(adaptations[:ADAPTATIONS_SHOWN])
    more = adaptations.count() - len(shown) if len(shown) == ADAPTATIONS_SHOWN else 0
    return {"adaptations": shown, "more_adaptations": more}
