"""Exporters by name: the built-ins, plus third-party ones from the ``leadmanage.exporters`` entry points."""

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

from .base import Exporter

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "leadmanage.exporters"
#: The built-in exporters' modules, imported on the first lookup (each registers its exporter): they load the
#: templates and the content model, which a command that needs no exporter does without.
BUILT_IN_MODULES = ("leadmanage_exporters.scorm", "leadmanage_exporters.cmi5", "leadmanage_exporters.pdf")
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


def entry_points(group: str) -> "list[EntryPoint]":
    """The installed entry points of ``group``; importlib.metadata loads here, not when the CLI starts."""
    from importlib.metadata import entry_points as installed

    return list(installed(group=group))


@cache
def _load_plugins() -> None:
    """Register the built-in exporters, then third-party ones, once; a plugin cannot take a name that is taken."""
    for module in BUILT_IN_MODULES:
        import_module(module)
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name in _EXPORTERS:
            _warn_name_taken(entry_point)
            continue
        register(entry_point.load())


def _warn_name_taken(entry_point: "EntryPoint") -> None:
    # logging loads here, not at start: it costs every command about 10 ms, and a clash is rare.
    import logging

    message = "ignoring exporter plugin %r (%s): the name is taken"
    logging.getLogger(__name__).warning(message, entry_point.name, entry_point.value)
