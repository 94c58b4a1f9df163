"""One new worker's first view of one block, in this new process: what importing the block and its first view cost.

``bench_xblock.py`` runs it once per sample, with ``{"name", "block_type", "fields"}`` as JSON on stdin, and reads
one JSON line back. The runtime has served one view of an empty block first (xblock-sdk's ``helloworld_demo``)
and built its URL resolver, so its own one-time costs are not counted against the block measured.
"""

import json
import sys
import time

from django.urls import reverse
from xblock.core import XBlock
from xblock_harness import Subject, add, render, rss_mib

WARM_UP = Subject("an empty block", "helloworld_demo")


def main() -> None:
    spec = json.load(sys.stdin)
    render(add(WARM_UP))
    reverse("workbench_index")  # Django builds the URL resolver on the first reverse(); handler URLs need it
    before, start = rss_mib(), time.perf_counter()
    XBlock.load_class(spec["block_type"])  # imports the block's modules, as the runtime's first lookup does
    imported, after_import = time.perf_counter(), rss_mib()
    usage_id = add(Subject(spec["name"], spec["block_type"], spec["fields"]))
    start_view = time.perf_counter()
    render(usage_id)
    viewed, after_view = time.perf_counter(), rss_mib()
    result = {
        "import_ms": (imported - start) * 1000,
        "import_mib": after_import - before,
        "first_view_ms": (viewed - start_view) * 1000,
        "first_view_mib": after_view - before,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
