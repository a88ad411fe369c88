"""The import rules of the package (docs/architecture.md, "Imports"), read from the source with `ast`.

- No import circle among modules, counting imports inside functions too (type-only imports aside):
  a circle hidden in a function is still two modules that cannot be understood one without the other.
- The package is a stack of layers (LAYERS, lowest first), and a module imports only from its own
  layer or those below: the ground floor (`stocktake.core`, `stocktake.config`), then `stocktake.web`
  (what pages and the API share), then the domains one above the other, then the demo and `site` (pages
  and commands that span domains), then the top (the app factory, the root command, the commands that
  stand on the whole app, the reference-docs generator, the models index). Within a layer of several
  domains, the domains do not import each other either (the ground floor and the top excepted).
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import stocktake

PACKAGE = Path(stocktake.__file__).resolve().parent
LAYERS: tuple[tuple[str, ...], ...] = (
    ("stocktake.config", "stocktake.core"),
    ("stocktake.web",),
    ("stocktake.audit",),
    ("stocktake.process",),
    ("stocktake.registry",),
    ("stocktake.news",),
    ("stocktake.accounts",),
    ("stocktake.notifications",),
    ("stocktake.meetings",),
    ("stocktake.consultation",),
    ("stocktake.frameworks",),
    ("stocktake.analysis",),
    ("stocktake.summary",),
    ("stocktake.negotiation",),
    ("stocktake.review",),
    ("stocktake.demo",),
    ("stocktake.site",),
    (
        "stocktake.app",
        "stocktake.cli",
        "stocktake.commands",
        "stocktake.refdocs",
        "stocktake.cli_texts",
        "stocktake.models",
    ),
)
"""The layers of the package, lowest first: each imports only from itself and the layers below."""
SIDEWAYS = range(1, len(LAYERS) - 1)
"""The layers whose parts may not import each other: all but the ground floor and the top."""


def module_name(path: Path) -> str:
    parts = ["stocktake", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if "migrations" not in path.relative_to(PACKAGE).parts
}


def resolve(name: str) -> str | None:
    """The module of the package a dotted name lands in (`a.b.func` lands in `a.b`)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(module: str, *, module_level: bool) -> set[str]:
    """The package's modules that `module` imports: at load time only, or anywhere in its code."""
    found: set[str] = set()
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and is_type_checking(child):
                for orelse in child.orelse:
                    visit_one(orelse)
                continue
            if module_level and isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            ):
                continue
            visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = resolve(alias.name)
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                target = resolve(f"{base}.{alias.name}") or resolve(base)
                if target:
                    found.add(target)
        visit(node)

    visit(ast.parse(MODULES[module].read_text(encoding="utf-8")))
    found.discard(module)
    return found


def within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def test_the_package_has_no_import_circle() -> None:
    graph = {module: imports(module, module_level=False) for module in MODULES}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError("import circle: " + " -> ".join(exc.args[1])) from None


def layer_of(module: str) -> tuple[int, str]:
    """The layer a module stands in (its index in LAYERS) and the part of the layer it belongs to;
    the package's own `__init__` (the version) is ground."""
    if module == "stocktake":
        return 0, module
    for index, layer in enumerate(LAYERS):
        for prefix in layer:
            if within(module, (prefix,)):
                return index, prefix
    raise AssertionError(f"{module} stands in no layer: add it to LAYERS")


def breaches(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    """The imports of each module that reach above its layer, or sideways to another part of it."""
    found = {}
    for module, targets in graph.items():
        level, part = layer_of(module)
        wrong = sorted(
            target
            for target in targets
            if layer_of(target)[0] > level
            or (layer_of(target)[0] == level and layer_of(target)[1] != part and level in SIDEWAYS)
        )
        if wrong:
            found[module] = wrong
    return found


def test_every_module_stands_in_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    graph = {module: imports(module, module_level=False) for module in MODULES}
    assert breaches(graph) == {}


def test_an_upward_import_is_a_breach() -> None:
    """The rule itself: a domain that imports one above it, or the ground that imports a domain,
    breaks it; an import downward does not."""
    assert breaches({"stocktake.process.services": {"stocktake.meetings.models"}}) == {
        "stocktake.process.services": ["stocktake.meetings.models"]
    }
    assert breaches({"stocktake.web.deps": {"stocktake.process.models"}}) != {}
    assert breaches({"stocktake.meetings.services": {"stocktake.process.models"}}) == {}


def test_only_the_top_imports_the_demo() -> None:
    """Demo data and code live in `stocktake.demo`: the domains know nothing of them."""
    demo, top = ("stocktake.demo",), LAYERS[-1]
    importing = {
        module: sorted(
            target for target in imports(module, module_level=False) if within(target, demo)
        )
        for module in MODULES
        if module not in top and not within(module, demo)
    }
    assert {module: targets for module, targets in importing.items() if targets} == {}


def test_the_rules_see_imports_at_every_depth() -> None:
    """The reader finds imports inside functions, and leaves type-only imports out."""
    assert "stocktake.app" in imports("stocktake.commands", module_level=False)
    assert "stocktake.app" not in imports("stocktake.commands", module_level=True)
    assert "stocktake.process.models" not in imports("stocktake.web.deps", module_level=False)


def test_no_module_passes_five_hundred_lines() -> None:
    """A module that grows past about 500 lines becomes a package split by concern (STYLE.md);
    migrations are written by Alembic and stay as they are."""
    long = {
        name: lines
        for name, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
