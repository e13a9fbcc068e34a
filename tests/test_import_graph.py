"""The house has one direction: no import circle anywhere in etl/ and dashboard/, and no
import that points up the layers (a stage of the pipeline never imports a later stage; etl/
never imports dashboard/; the CLI and the dashboard sit on top)."""

from __future__ import annotations

import ast
from pathlib import Path

from etl.config import ROOT

# Lower layers first; a module may import its own layer or lower ones.
LAYERS = (
    ("etl.config", "etl.progress", "etl.writing"),
    ("etl.reference",),
    ("etl.glossary",),
    ("etl.present",),
    ("etl.units",),
    ("etl.pipeline",),
    ("etl.access",),
    ("etl.simulate",),
    ("etl.serve",),
    ("etl.brief",),
    ("etl.cli", "etl.__main__"),
    ("dashboard",),
)
# Within the pipeline, its stages in the order data flows through them.
PIPELINE = (
    "wide",
    "read",
    "normalise",
    "spill",
    "checks",
    "run",
    "stage",
    "ledger",
    "build",
    "report",
    "validation_report",
    "load",
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in ("etl", "dashboard"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a file imports, at the top or inside a function."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets.add(node.module)
            targets |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {t for t in targets if t in modules}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _layer(module: str) -> int:
    return next(
        i
        for i, prefixes in enumerate(LAYERS)
        for p in prefixes
        if module == p or module.startswith(p + ".")
    )


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if parts[:2] != ["etl", "pipeline"] or len(parts) < 3:
        return None
    return PIPELINE.index(parts[2])


def test_every_module_has_a_layer() -> None:
    for module in _graph():
        assert _layer(module) is not None, module


def test_no_import_points_up() -> None:
    upward = [
        (a, b)
        for a, targets in _graph().items()
        for b in targets
        if _layer(b) > _layer(a)
        or (_stage(a) is not None and _stage(b) is not None and _stage(b) > _stage(a))
    ]
    assert not upward, upward


def test_no_circle() -> None:
    graph = _graph()
    # A package's __init__ importing its own submodules is how a package is assembled, not a
    # circle in the design; leave those edges out, keep every other.
    edges = {a: {b for b in bs if not b.startswith(a + ".")} for a, bs in graph.items()}
    seen: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> list[str] | None:
        seen[node] = 1
        for nxt in sorted(edges[node]):
            if seen.get(nxt) == 1:
                return [*path, node, nxt]
            if nxt not in seen and (circle := visit(nxt, [*path, node])):
                return circle
        seen[node] = 2
        return None

    for start in sorted(edges):
        if start not in seen:
            assert (circle := visit(start, [])) is None, " → ".join(circle)
