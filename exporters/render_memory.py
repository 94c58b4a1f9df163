"""How a process that renders workbook after workbook collects garbage: rarely during a layout, fully between.

Used by both kinds of worker: the process pool of ``export pdf --jobs`` (``batch_worker``) and the Celery
workers of ``leadmanage worker`` (``celery_tasks``). Not by the LMS's Celery workers, which run other tasks too:
the collector's settings are the whole process's.
"""

import gc

#: Allocations between young-generation collections while rendering (Python's default is 700).
GC_THRESHOLD = 50_000


def collect_less() -> None:
    """Collect garbage less often from now on, and never again scan what the process has loaded so far.

    A layout allocates hundreds of thousands of short-lived objects, and with Python's default thresholds the
    collector runs every few hundred of them, each time rescanning everything that has survived so far (about
    8 % of render time, measured). Freezing takes what is loaded up to now out of its sight; a full collection
    before each workbook (``BetweenWorkbooks``) keeps memory as low as the default thresholds would.
    """
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 100)


class BetweenWorkbooks:
    """A full collection before each workbook; the shared pages laid out since the last one are then frozen.

    The shared pages (``pdf_parts.SharedPageWorkbooks``) are kept for every later workbook, and a full
    collection scanned their boxes each time: 30 to 70 ms a workbook (measured). Unfreezing first lets the
    collection free shared pages that were dropped (``pdf_parts.KEPT_SHARED_PARTS``) with the last workbook's
    leftovers, so nothing is frozen that is no longer used. A few new layouts per batch.
    """

    def __init__(self) -> None:
        """Nothing frozen yet."""
        self.frozen_layouts = 0

    def collect(self, shared_layouts: int) -> None:
        """Collect before a workbook; ``shared_layouts``: how many times the process's renderers laid out pages."""
        if shared_layouts == self.frozen_layouts:
            gc.collect()
            return
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.frozen_layouts = shared_layouts
