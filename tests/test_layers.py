"""The layers a machine checks: import-linter's contracts (setup.cfg) hold, and they see imports inside functions."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from fixture_paths import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
#: The installed package names and the folders they come from (setup.cfg's package_dir).
PACKAGES = {
    "leadmanage_xblock": "leadmanage_xblock",
    "leadmanage_exporters": "exporters",
    "leadmanage_templates": "templates",
}


def lint_imports(config: Path, python_path: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(python_path)} if python_path else None
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=config.parent,
    )


def test_every_layer_contract_is_kept():
    result = lint_imports(REPO / "setup.cfg")
    assert result.returncode == 0, result.stdout
    assert "5 kept, 0 broken" in result.stdout


def test_an_import_inside_a_function_that_breaks_a_layer_is_caught(tmp_path):
    """A copy of the code where the core reaches up into the XBlock runtime from inside a function."""
    for name, folder in PACKAGES.items():
        shutil.copytree(REPO / folder, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "setup.cfg", tmp_path / "setup.cfg")
    scoring = tmp_path / "leadmanage_xblock" / "core" / "scoring.py"
    scoring.write_text(scoring.read_text() + "\n\ndef _sneaky():\n    from leadmanage_xblock.runtime import block\n")
    result = lint_imports(tmp_path / "setup.cfg", python_path=tmp_path)
    assert result.returncode == 1
    assert "leadmanage_xblock.core.scoring -> leadmanage_xblock.runtime.block" in result.stdout
