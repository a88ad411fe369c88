"""The import rules of the package (docs/architecture.md, "Imports"), read from the source with `ast`.

- No import circle among modules, counting imports inside functions too (type-only imports aside):
  a circle hidden in a function is still two modules that cannot be understood one without the other.
- The ground floor (`stocktake.core`, `stocktake.config`) imports nothing of stocktake above it.
- `stocktake.web` (what pages and the API share) imports only the ground floor.
- The demo (`stocktake.demo`) may import the domains; nothing but the top imports it.
- The top (the app factory, the root command, the commands that stand on the whole app, the
  reference-docs generator, the models index) is imported by nothing below it.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import stocktake

PACKAGE = Path(stocktake.__file__).resolve().parent
GROUND = ("stocktake.core", "stocktake.config")
WEB = "stocktake.web"
DEMO = "stocktake.demo"
TOP = (
    "stocktake.app",
    "stocktake.cli",
    "stocktake.commands",
    "stocktake.refdocs",
    "stocktake.models",
)


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


def test_the_ground_floor_imports_nothing_above_it() -> None:
    upward = {
        module: sorted(target for target in imports(module, module_level=False))
        for module in MODULES
        if within(module, GROUND)
    }
    upward = {
        module: [target for target in targets if not within(target, GROUND)]
        for module, targets in upward.items()
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}


def test_web_imports_only_the_ground_floor() -> None:
    upward = {
        module: sorted(
            target
            for target in imports(module, module_level=False)
            if not within(target, (*GROUND, WEB))
        )
        for module in MODULES
        if within(module, (WEB,))
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}


def test_nothing_below_the_top_imports_it() -> None:
    upward = {
        module: sorted(target for target in imports(module, module_level=False) if target in TOP)
        for module in MODULES
        if module not in TOP
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}


def test_only_the_top_imports_the_demo() -> None:
    """Demo data and code live in `stocktake.demo`: the domains know nothing of them."""
    importing = {
        module: sorted(
            target for target in imports(module, module_level=False) if within(target, (DEMO,))
        )
        for module in MODULES
        if module not in TOP and not within(module, (DEMO,))
    }
    assert {module: targets for module, targets in importing.items() if targets} == {}


def test_the_rules_see_imports_at_every_depth() -> None:
    """The reader finds imports inside functions, and leaves type-only imports out."""
    assert "stocktake.app" in imports("stocktake.commands", module_level=False)
    assert "stocktake.app" not in imports("stocktake.commands", module_level=True)
    assert "stocktake.process.models" not in imports("stocktake.web.deps", module_level=False)
