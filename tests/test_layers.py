"""The package's layers look down only, and no two modules import each other in a circle.

Every import counts, also those inside functions: annotations < models < training < evaluation.
The one exception is the Label Studio server side of annotations (``annotations.studio``),
which may use the models' public API (``from models import ...``) to serve predictions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("annotations", "models", "training", "evaluation")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for layer in LAYERS for p in (ROOT / layer).rglob("*.py")}


MODULES = _modules()


def _resolve(name: str) -> str:
    """The module a dotted name refers to: itself, or the longest module prefix (a name
    imported from a module: ``models.rules.extract`` -> ``models.rules``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports_of(module: str) -> list[tuple[str, int, list[str]]]:
    """``(imported module, line, names)`` for every import statement of ``module``."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(_resolve(a.name), node.lineno, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[:len(parent) - (node.level - 1)]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                target = _resolve(f"{base}.{alias.name}") if base else ""
                if target == base or not target:  # a name of the module, not a submodule
                    target = _resolve(base)
                out.append((target, node.lineno, [alias.name]))
    return [(t, line, names) for t, line, names in out if t]


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def test_the_scan_sees_the_packages_and_their_imports():
    assert {"models.rules", "annotations.lexicon.vocabulary", "training.train", "evaluation.curve"} <= set(MODULES)
    targets = {t for t, _, _ in imports_of("models.rules")}
    assert {"annotations.document", "annotations.lexicon", "annotations.lexicon.vocabulary"} <= targets
    # function-level imports count too
    assert "models.tagger" in {t for t, _, _ in imports_of("annotations.studio.predictor")} | {
        t for t, _, _ in imports_of("models.__init__" if "models.__init__" in MODULES else "models")}


def test_no_import_runs_up_the_layers():
    from models import __all__ as public

    wrong = []
    for module in MODULES:
        for target, line, names in imports_of(module):
            if _layer(target) <= _layer(module):
                continue
            if module.startswith("annotations.studio.") and target == "models" and set(names) <= set(public):
                continue  # the Label Studio server side serves the models' public API
            wrong.append(f"{module}:{line} imports {target} {names}")
    assert not wrong, "\n".join(wrong)


def test_no_two_modules_import_each_other_in_a_circle():
    graph = {m: sorted({t for t, _, _ in imports_of(m) if t != m}) for m in MODULES}
    state: dict[str, int] = {}
    circles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                circles.append(" -> ".join(trail[trail.index(nxt):] + [node, nxt]) if nxt in trail
                               else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert not circles, "\n".join(circles)


@pytest.mark.parametrize("module", ["models.tagger", "models.rules", "models.hints", "models.decoding"])
def test_the_inference_path_never_reaches_training_or_evaluation(module):
    seen, todo = set(), [module]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo += [t for t, _, _ in imports_of(m)]
    assert not {m for m in seen if m.split(".")[0] in ("training", "evaluation")}
