"""How many cores this process may use: the parsers' pool and the loader's threads are sized by it."""

import os


def usable_cores() -> int:
    """The cores the scheduler lets this process run on (a container or `taskset` may allow fewer than exist)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
