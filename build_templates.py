"""Build step: the wheel ships its Jinja templates compiled to Python, so a new process never parses them.

setup.cfg makes :class:`BuildPy` the ``build_py`` command. setuptools copies the packages into the build as
usual; then every template there is compiled into ``leadmanage_templates/compiled/`` with the options the
package renders with (``leadmanage_xblock.core.rendering.compile_templates``), and pip byte-compiles those
modules on install. An editable install skips this step, so a template edited in the checkout shows at once.
"""

import sys
from pathlib import Path

from setuptools.command.build_py import build_py

CHECKOUT = Path(__file__).resolve().parent


class BuildPy(build_py):
    """setuptools' ``build_py``, then the templates compiled into the build."""

    def run(self) -> None:
        """Copy the packages into the build, then compile the templates there (not for an editable install)."""
        super().run()
        if self.editable_mode:
            return
        sys.path.insert(0, str(CHECKOUT))  # the package being built is not installed in the build environment
        from leadmanage_xblock.core.rendering import compile_templates

        compile_templates(Path(self.build_lib) / "leadmanage_templates")
