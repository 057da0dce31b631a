"""The tree shows the architecture: the library never imports Streamlit, and each of its packages
imports only the layers below it (`fcviz.LAYERS`), so reading the tree bottom-up reads the system."""
import ast
import subprocess
import sys
from pathlib import Path

import fcviz

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "fcviz"


def _modules() -> list[str]:
    """Every module of the library by dotted name (Alembic's migration scripts run only inside Alembic)."""
    names = []
    for path in sorted(LIBRARY.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" not in parts:
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _imported(path: Path) -> set[str]:
    """The fcviz modules a file imports, anywhere in it (imports inside functions count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("fcviz.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fcviz"):
            found |= {f"{node.module}.{a.name}" if node.module == "fcviz" else node.module for a in node.names}
    return found


def _layer(module: str) -> int:
    """Where a module stands: -1 for the shared top-level modules, else its package's place in LAYERS."""
    parts = module.split(".")
    return fcviz.LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in fcviz.LAYERS else -1


def test_the_library_never_imports_streamlit():
    code = "import sys\n" + "".join(f"import {m}\n" for m in _modules()) + "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


def test_every_package_is_a_layer_and_every_layer_a_package():
    packages = {p.name for p in LIBRARY.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(fcviz.LAYERS)
    flat = {p.stem for p in LIBRARY.glob("*.py")} - {"__init__"}
    assert flat <= {"i18n", "patches", "cache", "environment"}, flat


def test_no_package_imports_one_above_it():
    upward = []
    for path in sorted(LIBRARY.rglob("*.py")):
        if "migrations" in path.parts and path.name != "env.py":
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for imported in _imported(path):
            if _layer(imported) > _layer(module):
                upward.append(f"{module} imports {imported}")
    assert upward == []


def test_the_layer_check_would_see_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from fcviz.plots.charts import curves\n")
    assert _layer(next(iter(_imported(bad)))) > _layer("fcviz.data.loading")


def _undocumented(folder: Path) -> list[str]:
    """Public classes and functions (module level, and methods of public classes) without a docstring."""
    missing = []
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        nodes = [(n, "") for n in tree.body]
        while nodes:
            node, owner = nodes.pop()
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if node.name.startswith("_") or any(isinstance(d, ast.Name) and d.id == "overload"
                                                for d in getattr(node, "decorator_list", [])):
                continue
            if ast.get_docstring(node) is None:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner}{node.name}")
            if isinstance(node, ast.ClassDef):
                nodes += [(n, f"{node.name}.") for n in node.body]
    return missing


def test_every_public_class_and_function_says_why_it_is_there():
    missing = [name for folder in ("fcviz", "ui") for name in _undocumented(ROOT / folder)]
    assert missing == [], f"{len(missing)} without a docstring: {missing[:40]}"
