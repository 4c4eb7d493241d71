"""Dependencies point one way (style.md §1): assessments uses portfolios, never the reverse."""

import ast
from pathlib import Path

import portfolios

PORTFOLIOS = Path(portfolios.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, at the top or hidden inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_under_portfolios_imports_assessments():
    offenders = sorted(
        f"{path.relative_to(PORTFOLIOS.parent)}: {name}"
        for path in PORTFOLIOS.rglob("*.py")
        for name in imported_modules(path)
        if name == "assessments" or name.startswith("assessments.")
    )
    assert not offenders, offenders


def test_the_scan_sees_an_import_hidden_in_a_function(tmp_path):
    hidden = tmp_path / "hidden.py"
    hidden.write_text("def submit():\n    from assessments.services import open_round\n")
    assert "assessments.services" in imported_modules(hidden)
