"""Dependencies point one way: every import of every module of the apps points down the README's order.

    audit ← units ← rules ← conferences ← petitions ← followup ← notifications, reports ← citizens ← opendata

with the project wiring (`dialogue_portal`: settings, urls, celery, the demo loader) above all, and
notifications and reports siblings: neither imports the other. The modules are parsed, not
imported, and every import counts: at the top, inside a function, under `TYPE_CHECKING`.
Inside an app, two modules that once imported each other must not again (a circle hides which of
them owns the shared piece), and the demo's modules form no circle at all.
"""

import ast
import functools
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# App → its level; an app may import only apps of a lower level (siblings share a level).
LEVELS = {
    "audit": 0,
    "units": 1,
    "rules": 2,
    "conferences": 3,
    "petitions": 4,
    "followup": 5,
    "notifications": 6,
    "reports": 6,
    "citizens": 7,
    "opendata": 8,
    "dialogue_portal": 9,
}
# Modules of one app that once imported each other (issue 13): neither may import the other again.
BROKEN_CIRCLES = [("citizens.ratelimits", "citizens.views")]
# Packages whose modules must form no import circle at all.
ACYCLIC_PACKAGES = ["dialogue_portal.demo"]


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, pathlib.Path]:
    """Return every module of the apps (migrations, management commands and packages included)."""
    found = {}
    for app in LEVELS:
        for path in sorted((ROOT / app).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imports_of(name: str, path: pathlib.Path, known: dict) -> list[tuple[int, str]]:
    """Return (line, imported module) for every import in the module, at any depth.

    `from package import name` counts as importing `package.name` when that is a module of the
    apps, else `package`.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add((node.lineno, submodule if submodule in known else target))
    return sorted(found)


@functools.cache
def import_graph() -> dict[str, list[tuple[int, str]]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def app_of(module: str) -> str:
    return module.split(".")[0]


def back_imports(graph) -> list[str]:
    """Return "module:line imports target (app level → app level)" for every import not pointing down."""
    found = []
    for module, imports in sorted(graph.items()):
        app = app_of(module)
        for line, target in imports:
            other = app_of(target)
            if other == app or other not in LEVELS:
                continue
            if LEVELS[other] >= LEVELS[app]:
                relation = "a sibling of" if LEVELS[other] == LEVELS[app] else "above"
                found.append(f"{module}:{line} imports {target} ({other} is {relation} {app})")
    return found


def circles(graph, package: str) -> list[list[str]]:
    """Return the import circles among the modules of `package` (each once, from its smallest module)."""

    def within(module):
        return module == package or module.startswith(f"{package}.")

    inside = {m: sorted({t for _l, t in imports if within(t)}) for m, imports in graph.items() if within(m)}
    found = set()

    def visit(module, trail):
        for target in inside.get(module, []):
            if target in trail:
                cycle = trail[trail.index(target) :]
                start = cycle.index(min(cycle))
                found.add(tuple(cycle[start:] + cycle[:start]))
            else:
                visit(target, [*trail, target])

    for module in inside:
        visit(module, [module])
    return sorted(list(cycle) for cycle in found)


def test_every_app_of_the_order_is_a_package_that_is_scanned():
    graph = import_graph()
    assert {app_of(m) for m in graph} == set(LEVELS)
    assert len(graph) > 100


def test_imports_point_down_the_order_of_the_apps():
    found = back_imports(import_graph())
    assert not found, "Imports that run back up the order (lower apps may not import higher ones):\n" + "\n".join(found)


@pytest.mark.parametrize(("first", "second"), BROKEN_CIRCLES)
def test_modules_that_imported_each_other_no_longer_do(first, second):
    graph = import_graph()
    forth = [f"{first}:{line} imports {target}" for line, target in graph[first] if target == second]
    back = [f"{second}:{line} imports {target}" for line, target in graph[second] if target == first]
    assert not (forth and back), "A circle is back:\n" + "\n".join(forth + back)


@pytest.mark.parametrize("package", ACYCLIC_PACKAGES)
def test_the_modules_of_the_package_form_no_circle(package):
    found = circles(import_graph(), package)
    assert not found, "Import circles:\n" + "\n".join(" → ".join([*cycle, cycle[0]]) for cycle in found)


def test_the_checker_sees_a_back_import_inside_a_function_and_a_circle(tmp_path):
    """The checks themselves: a back-import hidden in a function, a sibling import and a circle are found."""
    graph = {
        "rules.workdays": [(3, "units.models"), (12, "petitions.models")],
        "notifications.emails": [(40, "reports.models")],
        "dialogue_portal.demo.a": [(1, "dialogue_portal.demo.b")],
        "dialogue_portal.demo.b": [(2, "dialogue_portal.demo.a")],
    }
    assert back_imports(graph) == [
        "notifications.emails:40 imports reports.models (reports is a sibling of notifications)",
        "rules.workdays:12 imports petitions.models (petitions is above rules)",
    ]
    assert circles(graph, "dialogue_portal.demo") == [["dialogue_portal.demo.a", "dialogue_portal.demo.b"]]
    source = tmp_path / "module.py"
    source.write_text("import os\n\n\ndef later():\n    from petitions.models import Petition\n")
    assert (5, "petitions.models") in imports_of("rules.module", source, {})
