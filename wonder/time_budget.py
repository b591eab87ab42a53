"""One time budget shared by several Wonder calls: the calls of one page.

Each call already has its own budget (``WonderConfig.time_budget``, retries included); a page
that makes two calls (a customer, then their tokens) would wait for both. Inside
``shared_time_budget(seconds)`` every call also ends by the block's deadline, so the page
waits at most ``seconds`` in all. The deadline lives in a context variable: it applies to
this thread (or task) only, so a scan started from a page, in its own threads, is not held
to it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["shared_deadline", "shared_time_budget"]

# time.monotonic() by which every call must be done, or None: no shared budget.
_shared_deadline: ContextVar[float | None] = ContextVar("wonder_shared_deadline", default=None)


@contextmanager
def shared_time_budget(seconds: float) -> Iterator[None]:
    """Every Wonder call inside this block is done within ``seconds`` of the block's start,
    all calls together. Nested blocks keep the earlier end."""
    deadline = time.monotonic() + seconds
    outer = _shared_deadline.get()
    token = _shared_deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _shared_deadline.reset(token)


def shared_deadline() -> float | None:
    """The current block's deadline (``time.monotonic()`` seconds), or None outside one."""
    return _shared_deadline.get()
