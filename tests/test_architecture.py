"""The package's shape: no import cycle (imports inside functions included), no module importing another
module's private names, and every formula function defined completely in the one function table."""

import ast
from pathlib import Path

from scoring.formula.functions import FUNCTIONS, Form

PACKAGE = Path(__file__).resolve().parent.parent / "scoring"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    base = current.split(".") if is_package else current.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))
    return node.module or ""


def imports_of(name: str, path: Path):
    """(imported module, names imported from it) for every import anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            target = resolve(name, is_package, node)
            if node.module is None:  # from . import notes: submodules
                for alias in node.names:
                    yield f"{target}.{alias.name}", []
            else:
                yield target, [alias.name for alias in node.names]


def internal_graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        edges = set()
        for target, _ in imports_of(name, path):
            while target and target not in MODULES:  # `from .x import y` where y is a name, not a module
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("scoring"):
                edges.add(target)
        graph[name] = edges
    return graph


def find_cycle(graph):
    state, stack = {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_is_read_correctly():
    graph = internal_graph()
    assert "scoring.formula.excel" in graph["scoring.formula.functions"]
    assert "scoring.engine.notes" in graph["scoring.engine.leaves"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycle_in_the_package():
    assert find_cycle(internal_graph()) is None


def test_layers_point_one_way():
    """The library never imports the CLI; reading, formulas and the engine never import writing or commands."""
    graph = internal_graph()
    for name, edges in graph.items():
        if name != "scoring.cli" and name != "scoring.__main__":
            assert "scoring.cli" not in edges, name
        if name.startswith(("scoring.read", "scoring.formula", "scoring.engine", "scoring.model")):
            assert not any(e.startswith(("scoring.write", "scoring.commands")) for e in edges), (name, edges)
        if name.startswith("scoring.formula"):
            assert not any(e.startswith(("scoring.engine", "scoring.read", "scoring.model")) for e in edges), name


def test_no_module_imports_another_modules_private_names():
    offenders = []
    for name, path in MODULES.items():
        for target, names in imports_of(name, path):
            if target.startswith("scoring"):
                offenders += [f"{name} imports {target}.{n}" for n in names if n.startswith("_")]
    assert offenders == []


def test_every_function_has_both_implementations_or_a_special_form():
    for spec in FUNCTIONS.values():
        if spec.form is Form.CALL:
            assert callable(spec.scalar) and callable(spec.vector), spec.name
        if spec.form is Form.NAME_TEST:
            assert callable(spec.scalar) and callable(spec.vector), spec.name
        assert spec.doc.startswith(spec.name + "("), spec.name


def test_the_web_page_goes_through_the_commands():
    """The page calls command functions only: it imports commands, model, values, errors and its own modules."""
    allowed = ("scoring.web", "scoring.commands", "scoring.model", "scoring.values", "scoring.errors")
    graph = internal_graph()
    for name, edges in graph.items():
        if name.startswith("scoring.web"):
            assert all(e.startswith(allowed) for e in edges), (name, sorted(e for e in edges if not e.startswith(allowed)))


def test_the_engine_does_not_import_draft():
    graph = internal_graph()
    for name, edges in graph.items():
        if name.startswith("scoring.engine"):
            assert not any(e.startswith("scoring.draft") for e in edges), name


FLAG = __import__("re").compile(r"(?<![\w-])(-o|-[a-zA-Z]|--[a-z][a-z-]+)(?![\w-])")
# a command line in a message (score draft …): the web page shows library messages to people who never use one
COMMAND = __import__("re").compile(r"\bscore (run|check|explain|template|draft|report|diff|sensitivity|serve|sets)\b")


def messages(path: Path):
    """(line, text) of every string literal in a module except docstrings: what the code may show to a user."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_library_message_names_a_cli_flag():
    """Only cli.py and clihelp.py name flags (-o, --force …) or command lines (score draft …); the library says what is
    wrong in its own words and the CLI adds how to give it (InputError.option, WriteRefused.kind)."""
    offenders = []
    for name, path in MODULES.items():
        if name in ("scoring.cli", "scoring.clihelp", "scoring.__main__"):
            continue
        for line, text in messages(path):
            if any("\u4e00" <= c <= "\u9fff" for c in text) and (FLAG.search(text) or COMMAND.search(text)):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {text[:60]}")
    assert offenders == []


def test_the_flag_check_finds_a_flag():
    assert FLAG.search("请换一个文件名，或加 --force 覆盖它") and FLAG.search("-o 的输出文件应为 .xlsx")
    assert not FLAG.search("−5%") and not FLAG.search("2023-01") and not FLAG.search("A-B")
    assert COMMAND.search("可运行 score draft 起草") and not COMMAND.search("由评分标准起草公式")
