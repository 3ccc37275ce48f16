"""The architecture holds: imports run one way and form no cycle, Whoosh's internals are read
only in indexer/store, and printing results never loads the engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

PACKAGES = ("indexer", "search")


def modules() -> dict[str, Path]:
    """Every module of the two packages, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of import nodes under `if TYPE_CHECKING:` (never run, so never a cycle)."""
    hidden = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            hidden.update(id(inner) for inner in ast.walk(node))
    return hidden


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The project modules a module imports when it runs, at the top or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = _type_checking_only(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, set(known)) - {name} for name, path in known.items()}


def cycle_in(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_imports_form_no_cycle() -> None:
    assert cycle_in(graph()) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) is None


def test_the_write_path_never_imports_the_read_path() -> None:
    offending = {name: sorted(t for t in targets if t.startswith("search"))
                 for name, targets in graph().items() if name.startswith("indexer")}
    assert {name: targets for name, targets in offending.items() if targets} == {}


def _whoosh_names(tree: ast.Module) -> set[str]:
    """Names a module imports from Whoosh."""
    return {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("whoosh") for alias in node.names}


def private_reads(path: Path) -> list[str]:
    """Private attributes read on another object (`reader._terms`), and, in a class derived
    from a Whoosh class, private attributes of `self` that the class does not set itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"{path.name}:{node.lineno} .{node.attr}" for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
             and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))]
    whoosh = _whoosh_names(tree)
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        if not any(isinstance(base, ast.Name) and base.id in whoosh for base in cls.bases):
            continue
        own = {n.attr for n in ast.walk(cls) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store)}
        own |= {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
        found += [f"{path.name}:{n.lineno} self.{n.attr}" for n in ast.walk(cls)
                  if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
                  and n.attr.startswith("_") and not n.attr.startswith("__") and n.attr not in own]
    return found


def test_whoosh_internals_are_read_only_in_the_store() -> None:
    outside = {name: reads for name, path in modules().items()
               if not name.startswith("indexer.store") and (reads := private_reads(path))}
    assert outside == {}


def test_the_private_read_finder_sees_a_private_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from whoosh.scoring import BM25F\n\n"
                      "class Mine(BM25F):\n    def b(self):\n        return self._field_B\n\n"
                      "def f(reader):\n    return reader._terms\n")
    assert private_reads(sample) == ["sample.py:8 ._terms", "sample.py:5 self._field_B"]
    assert private_reads(ROOT / "indexer" / "store" / "postings.py")  # where they belong


def test_printing_results_loads_no_whoosh() -> None:
    code = ("import sys, search.render, search.cli, search.results, search.request, search.web.app, "
            "search.web.serve; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('whoosh', 'numpy', 'bs4', 'starlette', 'uvicorn', 'jinja2')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_the_command_asks_a_server_before_it_loads_its_command_line() -> None:
    code = ("import sys, search.launcher; print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('typer', 'rich', 'whoosh', 'numpy', 'starlette') or m in ('search.cli', 'search.engine', 'search.request')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_the_server_code_never_imports_whoosh() -> None:
    offending = {name: sorted(t for t in imports_of(path, {"whoosh"}) if t.startswith("whoosh"))
                 for name, path in modules().items() if name.startswith("search.web")}
    assert offending and all(found == [] for found in offending.values())


def test_a_search_loads_no_module_that_parses_files(seed_index: Path) -> None:
    code = ("import sys; from pathlib import Path; from search.engine import search; "
            "from search.request import SearchRequest; "
            f"search(Path({str(seed_index)!r}), SearchRequest('vaccines', facets=('organisation', 'year'))); "
            "print(sorted(m for m in sys.modules if m.startswith(('indexer.documents', 'indexer.convert', "
            "'indexer.metadata.extract', 'bs4', 'ftfy', 'markdownify', 'wordfreq'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_reindexing_a_changed_text_file_loads_no_query_code_nor_package_metadata(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"{n}.txt").write_text(f"Statement {n}\n\nThe OSCE observed the elections in Georgia on 3 May 2021.")
    index = tmp_path / "index"
    code = ("import sys; from pathlib import Path; from indexer.build import build_index; "
            f"build_index(Path({str(corpus)!r}), Path({str(index)!r})); "
            "print(sorted(m for m in sys.modules if m.startswith(('whoosh.query', 'whoosh.searching', "
            "'importlib.metadata', 'pycountry'))))")
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)  # fills the model cache
    (corpus / "1.txt").write_text("Statement 1, corrected\n\nThe OSCE observed the elections in Georgia on 4 May 2021.")
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert again.stdout.strip() == "[]"
