"""Exporters: the lesson as a SCORM package or a PDF workbook, and the ``leadmanage`` CLI.

Installed as ``leadmanage_exporters``. Depends on ``leadmanage_xblock.core.content`` and the shared
templates, never on the XBlock runtime.
"""

# Importing the built-in exporters registers them.
from . import pdf, scorm  # noqa: F401
from .base import Exporter, ExportError
from .registry import UnknownExporterError, exporter_names, get_exporter, register

__all__ = ["ExportError", "Exporter", "UnknownExporterError", "exporter_names", "get_exporter", "register"]
