"""A non-editable install from a built wheel, in a clean venv, works from outside the checkout."""

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from importlib.metadata import files
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_installed_distribution_ships_every_data_file():
    shipped = {str(path) for path in files("leadmanage-xblock")}
    assert "leadmanage_xblock/core/content/lesson.schema.json" in shipped
    assert "leadmanage_xblock/core/content/lessons/leading_vs_managing.yaml" in shipped
    assert "leadmanage_xblock/core/content/lessons/leading_vs_managing.es.yaml" in shipped
    assert any(path.startswith("leadmanage_templates/") for path in shipped)
    # build_templates.py compiles every template into the wheel: a new process parses none.
    assert any(path.startswith("leadmanage_templates/compiled/tmpl_") for path in shipped)
    assert any(path.startswith("leadmanage_exporters/cli.py") for path in shipped)


def test_the_installed_built_in_lessons_are_read_without_pyyaml():
    """build_templates.py ships each built-in lesson pre-read: a new process exporting it never imports PyYAML."""
    probe = (
        "import sys; from leadmanage_xblock.core.content import load_builtin_lesson; "
        "print(load_builtin_lesson('es').language, 'yaml' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd="/")
    assert result.stdout.split() == ["es", "False"]


def test_the_installed_learner_view_scripts_are_minified():
    from leadmanage_xblock.core.rendering import static_text

    # build_templates.py minifies the scripts every learner view sends: one line, no comments.
    assert "\n" not in static_text("js/lesson.js").strip()


def test_tests_import_the_installed_package_not_the_checkout():
    import leadmanage_xblock

    assert "site-packages" in Path(leadmanage_xblock.__file__).parts


#: What a checkout holds besides its sources: left out of the copy a wheel is built from.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "node_modules", "build", "dist", "var", "*.egg-info", ".*cache")


def checkout_built_before(folder: Path) -> Path:
    """A copy of the checkout whose ``build/lib`` holds modules from an earlier version (since moved or deleted)."""
    checkout = folder / "checkout"
    shutil.copytree(REPO, checkout, ignore=NOT_SOURCES)
    for stale in ("leadmanage_xblock/block.py", "leadmanage_exporters/moved_away.py"):
        path = checkout / "build" / "lib" / stale
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("raise ImportError('a module from an earlier build')\n", encoding="utf-8")
    return checkout


@pytest.mark.slow
def test_wheel_in_a_clean_venv_runs_the_cli_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    checkout = checkout_built_before(tmp_path)
    # Coverage (which measures subprocesses too) would count the copy's modules as other, unmeasured files.
    unmeasured = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_")}
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(checkout)]
    subprocess.run(command, check=True, env=unmeasured)
    (wheel,) = wheels.glob("leadmanage_xblock-*.whl")
    shipped = zipfile.ZipFile(wheel).namelist()
    # A checkout that built an older version still ships only today's modules.
    assert "leadmanage_xblock/runtime/block.py" in shipped
    assert not {"leadmanage_xblock/block.py", "leadmanage_exporters/moved_away.py"} & set(shipped)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    validate = subprocess.run(
        [env_dir / "bin" / "leadmanage", "validate", "--outline"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "the built-in lesson is valid: 4 dimensions" in validate.stdout
    schema = subprocess.run(
        [env_dir / "bin" / "leadmanage", "schema"], cwd=outside, capture_output=True, text=True, check=True
    )
    assert '"schema_version"' in schema.stdout
    probe = (
        "from importlib.resources import files; import leadmanage_templates, leadmanage_xblock;"
        "print(leadmanage_xblock.__file__); print(files('leadmanage_templates'))"
    )
    where = subprocess.run([python, "-c", probe], cwd=outside, capture_output=True, text=True, check=True).stdout
    assert str(REPO) not in where
    assert str(env_dir) in where
