"""Exporters by name: the built-ins, plus third-party ones from the ``leadmanage.exporters`` entry points."""

import logging
from functools import cache
from importlib.metadata import entry_points

from .base import Exporter

ENTRY_POINT_GROUP = "leadmanage.exporters"
log = logging.getLogger(__name__)
_EXPORTERS: dict[str, type[Exporter]] = {}


class UnknownExporterError(LookupError):
    """No exporter has the requested name; the message lists the valid names."""


def register(cls: type[Exporter]) -> type[Exporter]:
    """Add an exporter class to the registry (usable as a class decorator).

    Raises:
        ValueError: another exporter already uses the same name.
    """
    existing = _EXPORTERS.get(cls.name)
    if existing is not None and existing is not cls:
        raise ValueError(f"exporter name {cls.name!r} is already used by {existing.__module__}.{existing.__qualname__}")
    _EXPORTERS[cls.name] = cls
    return cls


def exporter_names() -> list[str]:
    """Names of every known exporter, sorted."""
    _load_plugins()
    return sorted(_EXPORTERS)


def get_exporter(name: str) -> type[Exporter]:
    """The exporter class called ``name``.

    Raises:
        UnknownExporterError: no such exporter; the message lists the valid names.
    """
    _load_plugins()
    try:
        return _EXPORTERS[name]
    except KeyError:
        valid = ", ".join(sorted(_EXPORTERS)) or "(none installed)"
        raise UnknownExporterError(f"unknown exporter {name!r}; valid exporters: {valid}") from None


@cache
def _load_plugins() -> None:
    """Register third-party exporters once; a plugin cannot replace an exporter that has its name."""
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name in _EXPORTERS:
            log.warning("ignoring exporter plugin %r (%s): the name is taken", entry_point.name, entry_point.value)
            continue
        register(entry_point.load())
