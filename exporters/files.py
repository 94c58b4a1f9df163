"""Reading and writing the command line's files so that a bad path is one clear error, never a hang or half a file.

Input: ``open_regular_file`` refuses anything that is not a regular file (``/dev/zero`` never ends, a FIFO
blocks until someone writes to it) before reading a byte. Output: ``check_output_path`` refuses a place that
cannot be written before anything is rendered, and ``write_atomically`` writes to a hidden temporary file
in the same folder, flushes it to the disk and only then gives it the final name, so a full disk or Ctrl+C
never leaves a truncated file under that name.
"""

import os
import stat
from pathlib import Path
from typing import BinaryIO

#: What a file that is not a regular one is, in words, by its ``stat`` type.
_KINDS = {
    stat.S_IFREG: "a file",
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a pipe",
    stat.S_IFSOCK: "a socket",
}
# Opening a FIFO for reading waits for a writer; without blocking it returns at once and fstat tells what it is.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class NotARegularFileError(OSError):
    """The path is a folder, a device, a pipe or a socket, not a file that can be read to its end."""


class OutputError(Exception):
    """An output file cannot be written; the message names the path and the cause in plain words."""


def open_regular_file(path: Path) -> BinaryIO:
    """``path`` opened for reading in binary, checked to be a regular file on the open descriptor itself.

    Raises:
        NotARegularFileError: ``path`` is a folder, device, pipe or socket.
        OSError: ``path`` cannot be opened (missing, permission denied...).
    """
    descriptor = os.open(path, _OPEN_FLAGS)
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise NotARegularFileError(f"{path} is {_kind(mode)}, not a file")
    return os.fdopen(descriptor, "rb")


def check_output_path(target: Path, create_folder: bool = False) -> None:
    """Refuse, before anything is rendered, an output path that cannot be written.

    Args:
        target: the file to write.
        create_folder: create its folder (and parents) when missing; otherwise a missing folder is an error,
            since it is more often a typo than a wish for a new folder.

    Raises:
        OutputError: the folder is missing or not a folder, ``target`` is a folder or a device, or no file
            can be created in the folder (permissions, a read-only disk).
    """
    folder = target.parent
    problem = _make_folder(folder) if create_folder else None
    problem = problem or _folder_problem(folder) or _target_problem(target) or _creation_problem(target)
    if problem:
        raise OutputError(f"cannot write {target}: {problem}")


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, fsync'ed, then renamed.

    Raises:
        OutputError: the data could not be written (a full disk, a file size limit, permissions...); the
            temporary file is gone and ``target`` is as it was.
    """
    try:
        temporary, stream = _open_temporary(target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_cause(exc)}") from None
    try:
        with stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as exc:  # a full disk, Ctrl+C: the partial file goes, the final name is untouched
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {_cause(exc)}") from None
        raise


def describe_os_error(exc: OSError) -> str:
    """``exc`` as "<path>: <cause in words>", e.g. "out/x.zip: No space left on device"."""
    return f"{exc.filename}: {_cause(exc)}" if exc.filename else _cause(exc)


def _cause(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _make_folder(folder: Path) -> str | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        return None  # a file is in the way: _folder_problem says which
    except OSError as exc:
        return f"the folder {folder} cannot be created ({_cause(exc)})"
    return None


def _folder_problem(folder: Path) -> str | None:
    try:
        mode = folder.stat().st_mode
    except FileNotFoundError:
        return f"the folder {folder} does not exist (create it first)"
    except NotADirectoryError:
        return f"a part of {folder} is a file, not a folder"
    except OSError as exc:
        return _cause(exc)
    return None if stat.S_ISDIR(mode) else f"{folder} is {_kind(mode)}, not a folder"


def _target_problem(target: Path) -> str | None:
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _cause(exc)
    # Replacing a device such as /dev/null with our file would break the system, so only files are overwritten.
    return None if stat.S_ISREG(mode) else f"it is {_kind(mode)}"


def _creation_problem(target: Path) -> str | None:
    """Why no file can be created beside ``target`` (permissions, a read-only disk), by trying."""
    try:
        temporary, stream = _open_temporary(target)
    except OSError as exc:
        return _cause(exc)
    stream.close()
    temporary.unlink()
    return None


def _open_temporary(target: Path) -> tuple[Path, BinaryIO]:
    # Hidden, unique and beside the target so os.replace stays a rename on one file system; created with
    # 0o666 so the umask gives the final file the same permissions as any other new file. The random part is
    # os.urandom's, as in the secrets module, whose import (hmac, hashlib, random) every command would pay.
    temporary = target.with_name(f".{target.name[:200]}.{os.urandom(4).hex()}.part")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    return temporary, os.fdopen(descriptor, "wb")


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "a special file")
