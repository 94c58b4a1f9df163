"""Jinja2 templates and static assets shared by the XBlock, the SCORM page and the PDF workbook."""
