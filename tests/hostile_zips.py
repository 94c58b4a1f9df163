"""Zip files byte by byte, headers included, so a test can make them lie (sizes, CRC, names, flags, file types).

``zipfile`` writes only honest archives; the hostile ones ``check-package`` must survive are built here.
"""

import struct
import zlib
from dataclasses import dataclass, replace

ZIP64_LIMIT = 0xFFFFFFFF
UNIX = 3  # "made by" system: the high 16 bits of external_attr are a Unix mode
REGULAR = 0o100644


@dataclass(frozen=True)
class Entry:
    """One member as it will be written: ``data`` is stored as is, the header fields say whatever they are told."""

    name: str
    data: bytes
    crc: int
    file_size: int
    method: int = 0
    flags: int = 0
    mode: int = REGULAR
    local_name: str | None = None  # what the local header calls it (default: ``name``)
    header_offset: int | None = None  # where the central directory says its local header is (default: where it is)
    central_only: bool = False  # listed in the central directory only: its header and data lie inside another's


def stored(name: str, content: bytes, **lies) -> Entry:
    """An uncompressed member, its header honest unless ``lies`` overrides a field."""
    return replace(Entry(name, content, zlib.crc32(content), len(content)), **lies)


def deflated(name: str, content: bytes, **lies) -> Entry:
    """A deflated member, its header honest unless ``lies`` overrides a field."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = packer.compress(content) + packer.flush()
    return replace(Entry(name, data, zlib.crc32(content), len(content), method=8), **lies)


def deflated_zeros(size: int, block: int = 16 << 20) -> bytes:
    """A raw deflate stream of ``size`` zero bytes (a multiple of ``block``), built without inflating it all.

    After a full flush the compressor starts afresh, so every block of zeros compresses to the same bytes.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    one_block = packer.compress(bytes(block)) + packer.flush(zlib.Z_FULL_FLUSH)
    return one_block * (size // block) + packer.flush()


def build_zip(entries: list[Entry], prefix: bytes = b"") -> bytes:
    """The zip holding ``entries`` in order, each local header followed by its data, then the central directory."""
    body, central = bytearray(prefix), bytearray()
    for entry in entries:
        offset = len(body)
        if not entry.central_only:
            body += local_record(entry)
        central += _central_header(entry, offset if entry.header_offset is None else entry.header_offset)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return bytes(body + central + end)


def local_record(entry: Entry) -> bytes:
    """The entry's local header followed by its data, as it lies in the zip."""
    return _local_header(entry) + entry.data


def _sizes(entry: Entry) -> tuple[int, int, bytes]:
    """The 32-bit size fields and, when a size needs 64 bits, the Zip64 extra field holding both."""
    if max(entry.file_size, len(entry.data)) < ZIP64_LIMIT:
        return entry.file_size, len(entry.data), b""
    return ZIP64_LIMIT, ZIP64_LIMIT, struct.pack("<HHQQ", 1, 16, entry.file_size, len(entry.data))


def _local_header(entry: Entry) -> bytes:
    size, compressed, extra = _sizes(entry)
    name = (entry.local_name or entry.name).encode()
    fields = (b"PK\x03\x04", 45, entry.flags, entry.method, 0, 0x21, entry.crc, compressed, size, len(name), len(extra))
    return struct.pack("<4s5H3L2H", *fields) + name + extra


def _central_header(entry: Entry, offset: int) -> bytes:
    size, compressed, extra = _sizes(entry)
    name = entry.name.encode()
    fields = (b"PK\x01\x02", UNIX << 8 | 45, 45, entry.flags, entry.method, 0, 0x21, entry.crc, compressed, size)
    fields += (len(name), len(extra), 0, 0, 0, entry.mode << 16, offset)
    return struct.pack("<4s6H3L5H2L", *fields) + name + extra
