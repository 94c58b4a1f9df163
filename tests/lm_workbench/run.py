"""Serve the xblock-sdk workbench with the LeadManage block: ``python tests/lm_workbench/run.py [--port N]``.

Two workbench quirks are handled here rather than in the block:

- the tables: ``migrate --run-syncdb`` creates them whether or not the installed xblock-sdk ships migrations;
- the due date: the workbench runtime overwrites every block's ``due`` with "now" before each render and
  handler call, which makes every block past due. The launcher keeps the authored due date instead, so the
  open and the past-due scenarios behave as they would in the LMS.
"""

import argparse
import os
import sys
from pathlib import Path


def keep_authored_due_dates() -> None:
    """Wrap the workbench's block patching so a block's own ``due`` field survives it."""
    from workbench.runtime import WorkbenchRuntime

    patch_block = WorkbenchRuntime._patch_xblock  # noqa: SLF001 (the method the quirk lives in)

    def patch_keeping_due(runtime, block):
        has_due = "due" in getattr(block, "fields", {})
        authored = block.due if has_due else None
        patch_block(runtime, block)
        if has_due:
            block.due = authored

    WorkbenchRuntime._patch_xblock = patch_keeping_due  # noqa: SLF001


def add_scenarios(specs: list[str]) -> None:
    """Register extra ``TITLE=FILE.xml`` scenarios after the blocks' own ones."""
    from workbench.scenarios import add_xml_scenario, get_scenarios

    get_scenarios()
    for spec in specs:
        title, path = spec.split("=", 1)
        add_xml_scenario(f"extra.{title.lower()}", title, Path(path).read_text(encoding="utf-8"))


def main() -> None:
    """Create the database, then run Django's development server on 127.0.0.1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--var", default="var", help="folder for the database and the log (default: var)")
    parser.add_argument(
        "--scenario", action="append", default=[], metavar="TITLE=FILE.xml", help="add a scenario (tests use it)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lm_workbench.settings"
    os.environ["LEADMANAGE_WORKBENCH_VAR"] = args.var

    import django
    from django.core.management import call_command

    django.setup()
    keep_authored_due_dates()
    call_command("migrate", "--run-syncdb", verbosity=0)
    add_scenarios(args.scenario)
    call_command("runserver", f"127.0.0.1:{args.port}", "--noreload", "--skip-checks")


if __name__ == "__main__":
    main()
