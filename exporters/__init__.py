"""Exporters: the lesson as a SCORM package or a PDF workbook, and the ``leadmanage`` CLI.

Installed as ``leadmanage_exporters``. Depends on ``leadmanage_xblock.core.content`` and the shared
templates, never on the XBlock runtime. Importing the package loads neither: the registry imports the built-in
exporters on its first lookup, so ``leadmanage --help`` starts without the templates and the content model.
"""

from .base import Exporter, ExportError
from .registry import UnknownExporterError, exporter_names, get_exporter, register

__all__ = ["ExportError", "Exporter", "UnknownExporterError", "exporter_names", "get_exporter", "register"]
