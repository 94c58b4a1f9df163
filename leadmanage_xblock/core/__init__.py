"""The core: one lesson YAML → the content model → a learner's work → scores and results → rendered markup.

Pure Python with no runtime in it: it imports no XBlock, web framework, Click or WeasyPrint (import-linter
checks this in ``make test``). The exporters (``leadmanage_exporters``) and the XBlock runtime
(``leadmanage_xblock.runtime``) are built on it; it knows neither.
"""
