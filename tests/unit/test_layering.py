"""Layering: domain and storage never import Textual; the domain does not import TinyDB either.

Each check runs in a fresh interpreter, so what other tests imported cannot hide or fake a result.
Modules are found by walking the package folders, so new modules are covered without editing this file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, json, pkgutil, sys
imported = []
for name in {packages!r}:
    package = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
{extra}
print(json.dumps({{"imported": imported, "loaded": sorted(sys.modules)}}))
"""


def probe(packages: list[str], extra: str = "") -> tuple[list[str], set[str]]:
    """Import every module of `packages` in a new interpreter; what was imported, and every module loaded."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(packages=packages, extra=extra)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    return out["imported"], set(out["loaded"])


def modules_on_disk(package: str) -> set[str]:
    """Dotted names of every module file under a package folder."""
    folder = ROOT.joinpath(*package.split("."))
    names = set()
    for path in folder.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def top_level(loaded: set[str]) -> set[str]:
    return {name.split(".")[0] for name in loaded}


@pytest.fixture(scope="module")
def domain_and_storage():
    return probe(["tui.domain", "tui.storage"])


@pytest.fixture(scope="module")
def domain_only():
    return probe(["tui.domain"])


def test_every_domain_and_storage_module_is_imported(domain_and_storage):
    imported, _ = domain_and_storage
    expected = modules_on_disk("tui.domain") | modules_on_disk("tui.storage")
    assert {"tui.domain.engine", "tui.domain.routines", "tui.storage.library"} <= expected
    assert set(imported) == expected


def test_domain_and_storage_do_not_import_textual(domain_and_storage):
    _, loaded = domain_and_storage
    assert "textual" not in top_level(loaded)


def test_domain_does_not_import_textual_or_tinydb(domain_only):
    imported, loaded = domain_only
    assert set(imported) == modules_on_disk("tui.domain")
    assert "textual" not in top_level(loaded)
    assert "tinydb" not in top_level(loaded)
    assert not any(name.startswith("tui.storage") or name.startswith("tui.ui") for name in loaded)


def test_the_probe_would_see_textual():
    # A control: the same probe does notice Textual when something imports it.
    _, loaded = probe(["tui.domain"], extra="import textual.app")
    assert "textual" in top_level(loaded)


def test_plain_mode_does_not_import_textual_or_rich():
    # Plain mode is for slow links and screen readers: it starts without the drawing toolkit at all.
    imported, loaded = probe(["tui.plain"], extra="import tui.cli")
    assert set(imported) == modules_on_disk("tui.plain")
    assert not {"textual", "rich", "pyfiglet"} & top_level(loaded)
    assert not any(name.startswith("tui.ui") for name in loaded)


def test_widgets_do_not_import_screens():
    # A widget is a part a screen is built from: one that reaches into a screen module turns the layering around.
    import ast

    offenders = []
    for path in sorted((ROOT / "tui" / "ui" / "widgets").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            offenders += [f"{path.name}: {name}" for name in names if name.startswith("tui.ui.screens")]
    assert offenders == []


def private_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    """Every `from x import _name` in `source` (the code of `module`) that takes a private name from another module."""
    import ast

    package = module if is_package else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        # A relative import names its module from the importing module's package.
        base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        source_module = ".".join(filter(None, [base, node.module])) if node.level else (node.module or "")
        found += [f"{module}:{node.lineno} imports {alias.name} from {source_module}" for alias in node.names
                  if alias.name.startswith("_") and not alias.name.startswith("__") and source_module != module]
    return found


def test_no_module_imports_another_modules_private_names():
    # A leading underscore says "only this module uses it": a second module that imports it ties itself
    # to something the first may change at will. Give the name a public one, or move the code that needs it.
    offenders = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        offenders += private_imports(path.read_text(encoding="utf-8"), module, is_package)
    assert offenders == []


def test_the_private_import_check_sees_them():
    # A control: absolute and relative imports of a private name are caught; public and dunder names are not.
    source = ("from tui.storage.documents import _events, session_to_dict\n"
              "from .files import (\n    transaction,\n    _stamp,\n)\n"
              "from .. import _hidden\n"
              "from tui import __version__\n"
              "from __future__ import annotations\n")
    assert private_imports(source, "tui.storage.journal") == [
        "tui.storage.journal:1 imports _events from tui.storage.documents",
        "tui.storage.journal:2 imports _stamp from tui.storage.files",
        "tui.storage.journal:6 imports _hidden from tui",
    ]
    # In a package's __init__, `.` is the package itself.
    assert private_imports("from .. import _hidden\nfrom .files import _stamp\n", "tui.storage", is_package=True) == [
        "tui.storage:1 imports _hidden from tui",
        "tui.storage:2 imports _stamp from tui.storage.files",
    ]
