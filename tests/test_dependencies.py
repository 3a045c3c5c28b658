"""Every package the code imports is declared in pyproject.toml, the site's in `[project] dependencies`
(what production installs), the tests' and benchmarks' in the `dev` group; and the locks that `make run`,
`make test` and CI install (requirements/runtime.txt, requirements/dev.txt, written by `make lock`) pin
exactly what is declared, each file with its hash."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions, version
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"
OURS = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]
PIN = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>\S+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        match = PIN.fullmatch(requirement)
        assert match, f"{requirement!r} is not pinned with =="
        pins[normalized(match["name"])] = match["version"]
    return pins


RUNTIME = declared(PYPROJECT["project"]["dependencies"])
DEV = declared(PYPROJECT["dependency-groups"]["dev"])


def locked(path: Path) -> tuple[dict[str, str], set[str]]:
    """The lock's pins, and the packages it says it took from pyproject.toml itself."""
    pins, hashes, direct, current = {}, {}, set(), None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not line.startswith(" "):
            if stripped and not stripped.startswith("#"):
                match = PIN.match(stripped)
                assert match, f"{path.name}: {stripped!r} is not a pin"
                current = normalized(match["name"])
                pins[current], hashes[current] = match["version"], 0
        elif stripped.startswith("--hash=sha256:"):
            hashes[current] += 1
        elif re.search(r"\bquyche \(pyproject\.toml(:dev)?\)", stripped):
            direct.add(current)
    assert [name for name, count in hashes.items() if count == 0] == [], f"{path.name}: a pin without its hash"
    return pins, direct


def third_party_imports(paths, local: set[str]) -> dict[str, str]:
    """Top-level modules imported (lazily too) by these files and not ours nor Python's, with a file of each."""
    found = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def undeclared(modules: dict[str, str], allowed: set[str]) -> list[str]:
    distributions = packages_distributions()
    wrong = []
    for module, where in sorted(modules.items()):
        names = {normalized(name) for name in distributions.get(module, [])}
        if not names & allowed:
            package = ", ".join(sorted(names)) or "no installed package"
            wrong.append(f"{where} imports {module} ({package}), not declared")
    return wrong


def test_it_declares_every_package_the_site_imports_as_a_runtime_dependency():
    paths = [ROOT / "manage.py", *(ROOT / "quyche").rglob("*.py")]
    for app in OURS:
        paths += (ROOT / app).rglob("*.py")
    modules = third_party_imports(paths, local={*OURS, "quyche"})
    # What settings name by their dotted path is imported by Django, not by an import statement.
    for dotted in [*settings.INSTALLED_APPS, *settings.MIDDLEWARE, *settings.AUTHENTICATION_BACKENDS]:
        top = dotted.split(".")[0]
        if top not in OURS and top != "quyche":
            modules.setdefault(top, f"settings ({dotted})")
    assert undeclared(modules, set(RUNTIME)) == []


def test_it_declares_what_the_tests_and_benchmarks_import_in_the_dev_group_or_the_runtime():
    paths = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").glob("*.py")]
    local = {*OURS, "quyche", "tests", "bench"} | {path.stem for path in (ROOT / "bench").glob("*.py")}
    assert undeclared(third_party_imports(paths, local), set(RUNTIME) | set(DEV)) == []


def test_the_runtime_lock_pins_exactly_the_runtime_dependencies_with_hashes():
    pins, direct = locked(RUNTIME_LOCK)
    assert {name: pins.get(name) for name in RUNTIME} == RUNTIME, "pyproject.toml changed: run `make lock`"
    assert direct == set(RUNTIME), "pyproject.toml changed: run `make lock`"
    assert set(DEV) & set(pins) == set(), "a development package would be installed in production"


def test_the_dev_lock_pins_the_dev_group_with_hashes_and_agrees_with_the_runtime_lock():
    pins, direct = locked(DEV_LOCK)
    runtime_pins, _ = locked(RUNTIME_LOCK)
    assert {name: pins.get(name) for name in DEV} == DEV, "pyproject.toml changed: run `make lock`"
    assert direct == set(DEV), "pyproject.toml changed: run `make lock`"
    both = set(pins) & set(runtime_pins)
    assert {name: pins[name] for name in both} == {name: runtime_pins[name] for name in both}


def test_this_environment_has_the_declared_versions():
    installed = {name: version(name) for name in {**RUNTIME, **DEV}}
    assert installed == {**RUNTIME, **DEV}, "the virtualenv is not the lock's: `make test` installs it"
