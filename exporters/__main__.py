"""``python -m leadmanage_exporters`` runs the ``leadmanage`` command line."""

from .cli import main

main()
