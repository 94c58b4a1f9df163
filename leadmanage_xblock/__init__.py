"""LeadManage: the "Leading vs Managing" module for Open edX, SCORM and print.

This package must stay light: it never imports the XBlock class, so the exporters can use
``leadmanage_xblock.core.content`` without loading the XBlock runtime.
"""

__version__ = "0.1.0"
