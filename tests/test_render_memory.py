"""A rendering worker's memory: shared pages it stops using are freed, though kept out of the collector's sight.

Both kinds of worker (the process pool and ``leadmanage worker``) freeze the shared pages they keep, so that the
full collection before each workbook does not scan them; a renderer that drops some (``KEPT_SHARED_PARTS``) must
not leave them frozen for ever, or a long-running worker grows with every new page count.
"""

import gc
import weakref

from leadmanage_exporters.render_memory import BetweenWorkbooks


class Page:
    """Stands in for a laid-out page: a reference cycle, freed only by the cyclic collector."""

    def __init__(self) -> None:
        self.self = self


def test_a_dropped_shared_page_is_freed_once_the_renderer_lays_out_again():
    between = BetweenWorkbooks()
    try:
        page = Page()
        kept = weakref.ref(page)
        between.collect(shared_layouts=1)  # laid out since the last workbook: frozen from now on
        del page  # the renderer drops it
        between.collect(shared_layouts=1)  # no new layout: the collection leaves frozen objects alone
        assert kept() is not None
        between.collect(shared_layouts=2)  # a new layout: what is frozen is looked at again
        assert kept() is None
    finally:
        gc.unfreeze()


def test_a_workbook_s_leftovers_are_collected_before_the_next():
    between = BetweenWorkbooks()
    try:
        between.collect(shared_layouts=1)
        leftover = Page()
        gone = weakref.ref(leftover)
        del leftover
        between.collect(shared_layouts=1)
        assert gone() is None
    finally:
        gc.unfreeze()
