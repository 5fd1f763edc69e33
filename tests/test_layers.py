"""The import graph: no cycles between modules, and no module imports a layer above its own."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Lowest first. A module may import its own layer and the layers below it, never one above.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),                      # errors, settings, schemas, engines, Modelfiles, prompts, manifests
    ("tasks",),                     # triage / summarize / chat: one Task each
    ("training_data",),             # load, scrub, validate, split
    ("training",),                  # LoRA / QLoRA fine-tuning
    ("modelfiles",),                # render and register Modelfiles
    ("convert",),                   # merge, GGUF, quantize, verify (renders the Modelfile it verifies with)
    ("backend",),                   # the HTTP service, its safety net, services and store
    ("evaluation",),                # metrics and A/B reports over the services
    ("pipeline",),                  # build: every stage in turn
    ("cli", "benchmarks", "scripts"),
    ("main",),
)
RANK = {package: rank for rank, names in enumerate(LAYERS) for package in names}


def _modules() -> dict[str, Path]:
    found = {}
    for path in REPO.rglob("*.py"):
        rel = path.relative_to(REPO)
        if rel.parts[0] in RANK or rel.stem in RANK and len(rel.parts) == 1:
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    """Project modules that `module` imports anywhere in its body (function-level imports too)."""
    out: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            target = _project_module(name)
            if target and target != module:
                out.add(target)
    return out


def _project_module(name: str) -> str | None:
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _rank(module: str) -> int:
    return RANK[module.split(".")[0]]


def test_every_package_has_a_layer():
    top = {p.name for p in REPO.iterdir() if (p / "__init__.py").is_file() and p.name != "tests"}
    assert top <= set(RANK), f"add {sorted(top - set(RANK))} to LAYERS"


def test_no_module_imports_a_layer_above_its_own():
    upward = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() for t in targets if _rank(t) > _rank(m))
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_the_module_graph_has_no_cycle():
    # A package's __init__ is where its submodules are found, not a dependency of them.
    graph = {m: {t for t in targets if not m.startswith(t + ".")} for m, targets in GRAPH.items()}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("heavy", ["torch", "transformers", "peft", "trl", "sentence_transformers"])
def test_the_service_never_imports_the_training_stack(heavy):
    """backend/ and core/ run without torch: not even a function-level import names it."""
    offenders = []
    for module, path in MODULES.items():
        if _rank(module) in (RANK["core"], RANK["backend"]):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                offenders += [module for n in names if n.split(".")[0] == heavy]
    assert not offenders
