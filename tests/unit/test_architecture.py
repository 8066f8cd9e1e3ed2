"""The layers README's "How it is built" draws, checked: imports point one way, the
domain packages never import Reflex, and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "session_app"
# Plain Python: rules, storage, email, images. Unit-testable without Reflex.
DOMAIN = (
    "accounts",
    "auth",
    "mail",
    "media",
    "rooms",
    "db",
    "models",
    "environment",
    "routes",
    "tokens",
    "browser_scripts",
    "housekeeping",
    "operator",
)
# The backend's HTTP edge (Starlette routes) reads Reflex's configured URLs.
REFLEX_ALLOWED_IN_DOMAIN = {"session_app.auth.http"}
MAX_LINES = 300
# Longer on purpose (README, "How it is built"): one table or one pipeline each.
LONG_ALLOWED: set[str] = set()


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, name: str) -> set[str]:
    """Every module of the package that `name` imports (at any depth in the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            targets.add(node.module)
            targets.update(f"{node.module}.{alias.name}" for alias in node.names)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {target for target in _imports(path, name) if target in modules and target != name}
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, if there is any (depth-first search)."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _is_package_of(parent: str, child: str) -> bool:
    return child.startswith(parent + ".")


def test_no_import_cycle_anywhere_in_the_app():
    graph = _graph()
    # A package's __init__ naturally names its own modules; that is not a cycle.
    graph = {name: {t for t in targets if not _is_package_of(name, t)} for name, targets in graph.items()}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_domain_packages_never_import_reflex():
    offenders = []
    for name, path in _modules().items():
        top = name.split(".")[1] if "." in name else ""
        if top not in DOMAIN or name in REFLEX_ALLOWED_IN_DOMAIN:
            continue
        if any(
            target == "reflex" or target.startswith(("reflex.", "reflex_")) for target in _imports(path, name)
        ):
            offenders.append(name)
    assert offenders == []


def test_the_domain_never_imports_pages_states_or_components():
    upward = ("session_app.pages", "session_app.states", "session_app.components", "session_app.session_app")
    offenders = [
        (name, target)
        for name, targets in _graph().items()
        if name.split(".")[1:2] and name.split(".")[1] in DOMAIN
        for target in targets
        if target.startswith(upward)
    ]
    assert offenders == []


def test_states_never_import_pages_or_components():
    offenders = [
        (name, target)
        for name, targets in _graph().items()
        if name.startswith("session_app.states")
        for target in targets
        if target.startswith(("session_app.pages", "session_app.components"))
    ]
    assert offenders == []


def test_no_module_holds_more_than_one_screenful_of_ideas():
    long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and name not in LONG_ALLOWED
    }
    assert long == {}
