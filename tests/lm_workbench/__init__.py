"""A launcher for the xblock-sdk workbench with the LeadManage block (``make workbench`` and the browser tests)."""
