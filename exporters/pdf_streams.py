"""Compressed streams kept across a batch's workbooks: a stream that repeats is compressed once per worker.

Writing a workbook compresses every stream at zlib's level 9 (pydyf's ``Stream.data``), and in a batch many of
them are the same in every learner's workbook: the shared pages' content streams (replayed, ``pdf_drawn``), the
colour profile, the writing spaces' patterns. ``CompressedStreams.reuse_in`` runs as the last step of the
finisher: it puts each compressed stream of the PDF about to be written behind a proxy that builds the very
bytes pydyf's ``Stream.data`` would, taking the compressed body from a cache keyed by the uncompressed bytes.

The proxy mirrors pydyf's ``Stream.data``, so it is used only with the pydyf release it was written against
(``TESTED_PYDYF``); elsewhere streams are written as usual. ``tests/test_pdf_streams.py`` compares the bytes.
"""

import zlib
from collections import OrderedDict
from typing import Any

#: The pydyf releases whose ``Stream.data`` the proxy repeats byte for byte.
TESTED_PYDYF = ("0.13",)
#: Uncompressed and compressed bytes kept at most (the oldest used go first): a workbook's streams are about
#: 0.65 MB uncompressed, half of them the same in every workbook.
MAX_KEPT_BYTES = 12 * 1024 * 1024


class CompressedStreams:
    """A least-recently-used cache of compressed stream bodies, keyed by their uncompressed bytes."""

    def __init__(self, max_bytes: int = MAX_KEPT_BYTES):
        """Keep at most ``max_bytes`` of uncompressed and compressed bytes."""
        self.max_bytes = max_bytes
        self._kept: OrderedDict[bytes, bytes] = OrderedDict()
        self._size = 0
        #: Streams compressed, and streams taken from the cache instead.
        self.compressed = self.reused = 0

    def body(self, raw: bytes) -> bytes:
        """``raw`` compressed as pydyf compresses a stream (zlib, level 9), from the cache when it is there."""
        kept = self._kept.get(raw)
        if kept is not None:
            self._kept.move_to_end(raw)
            self.reused += 1
            return kept
        compressor = zlib.compressobj(level=9)
        body = compressor.compress(raw) + compressor.flush()
        self.compressed += 1
        self._kept[raw] = body
        self._size += len(raw) + len(body)
        while self._size > self.max_bytes and self._kept:
            old_raw, old_body = self._kept.popitem(last=False)
            self._size -= len(old_raw) + len(old_body)
        return body

    def reuse_in(self, pdf: Any) -> None:
        """Write each compressed stream of ``pdf`` (a ``pydyf.PDF`` about to be written) through this cache."""
        import pydyf

        if pydyf.__version__.rsplit(".", 1)[0] not in TESTED_PYDYF:
            return
        for index, item in enumerate(pdf.objects):
            # Only streams written by pydyf's own ``data``: a subclass that writes itself is left alone.
            if isinstance(item, pydyf.Stream) and item.compress and type(item).data is pydyf.Stream.data:
                pdf.objects[index] = _CachedStream(item, self)


class _CachedStream:
    """Stands for a ``pydyf.Stream`` in the PDF's objects, writing what it would, compressed through the cache."""

    compressible = False  # a stream never goes in an object stream (pydyf.Object.compressible)

    def __init__(self, stream: Any, cache: CompressedStreams):
        self.stream, self.cache = stream, cache
        self.number, self.generation, self.free = stream.number, stream.generation, stream.free
        self.offset = stream.offset

    @property
    def reference(self) -> bytes:
        """The stream's object identifier, as pydyf writes it."""
        return f"{self.number} {self.generation} R".encode()

    @property
    def indirect(self) -> bytes:
        """The stream as an indirect object, as pydyf writes it."""
        return f"{self.number} {self.generation} obj\n".encode() + self.data + b"\nendobj"

    @property
    def data(self) -> bytes:
        """What pydyf's ``Stream.data`` writes for a compressed stream, the body from the cache."""
        import pydyf

        raw = b"\n".join(pydyf._to_bytes(item) for item in self.stream.stream)
        extra = pydyf.Dictionary(self.stream.extra.copy())
        extra["Filter"] = "/FlateDecode"
        body = self.cache.body(raw)
        extra["Length"] = len(body)
        return b"\n".join((extra.data, b"stream", body, b"endstream"))
