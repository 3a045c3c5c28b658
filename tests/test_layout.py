"""The apps depend on each other one way: each imports only from the apps listed before it in
INSTALLED_APPS (organizations <- notifications <- regulations <- inspections <- reviews <- oversight
<- demo), lazily or not. A rule, a model or a helper that a lower app needs lives in that app."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
OURS = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]


def imported_apps(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(OURS)


def test_it_lists_our_apps_in_dependency_order():
    assert OURS == ["organizations", "notifications", "regulations", "inspections", "reviews", "oversight", "demo"]


def test_no_app_imports_an_app_above_it():
    wrong = []
    for rank, app in enumerate(OURS):
        above = set(OURS[rank + 1 :])
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # a migration names the history of the tables, not a dependency of the code
            for name in imported_apps(path) & above:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


def test_the_project_package_imports_no_app_but_to_route_urls():
    for path in sorted((ROOT / "quyche").glob("*.py")):
        if path.name == "urls.py":
            continue
        assert imported_apps(path) == set(), path.name
