"""One build at a time per database: a lock file beside it that names the holder's PID.

The lock is an advisory `flock` on that file, so the kernel releases it the moment its holder ends, even when
killed; the next build takes it over and rewrites the PID. The file is removed when a build ends normally.
"""

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

POLL_SECONDS = 0.2


class Busy(Exception):
    """Another build still held the lock when the wait ended."""

    def __init__(self, db_path: Path, holder: str):
        super().__init__(f"otra construcción (proceso {holder}) está escribiendo «{db_path}»")
        self.holder = holder


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.lock")


@contextlib.contextmanager
def held(db_path: Path, wait_seconds: float, waiting: Callable[[str], None] = lambda holder: None) -> Iterator[bool]:
    """Hold the database's lock for the block; yields whether another build had to be waited for.

    Raises Busy when another build still holds it after `wait_seconds`, and OSError when the lock file cannot be
    created (a read-only folder, say): then the database could not have been written either.
    """
    path = lock_path(db_path)
    deadline = time.monotonic() + wait_seconds
    waited = False
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(handle)
            if time.monotonic() >= deadline:
                raise Busy(db_path, holder) from None
            if not waited:
                waiting(holder)
                waited = True
            time.sleep(POLL_SECONDS)
            continue
        if _same_file(handle, path):
            break
        os.close(handle)  # the previous holder removed the file between our open and our lock: start again
    try:
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield waited
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # still locked: a build waiting on this file will see it gone and open the new one
        os.close(handle)


def _same_file(handle: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle), os.stat(path))
    except FileNotFoundError:
        return False
