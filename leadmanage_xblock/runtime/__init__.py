"""The XBlock runtime: ``LeadManageXBlock``, its fields, handlers, Studio editor, downloads and data APIs.

The top layer: it uses the core and the exporters, and nothing below imports it.
"""
