"""An optional cache of encoded customer-list pages, so the sandbox answers like a remote
Wonder would: at the cost of latency, not of our CPU.

Generating and JSON-encoding a page of 1,000 customers costs the sandbox ~20 ms of CPU.
The real Wonder spends that on its own machines; a benchmark that shares two cores between
the sandbox and the scanner would otherwise measure the stand-in. Off by default
(``SANDBOX_PAGE_CACHE=0``): tests and manual use always see freshly generated pages.

Bodies are kept gzip-compressed (level 1): a million customers are ~540 MB of JSON but
well under a quarter of that compressed. A client that accepts gzip (``requests`` always
does) is sent the compressed bytes as they are; for any other, inflating costs ~1 ms.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from typing import Any

__all__ = ["PageCache", "PageKey"]

# (linked_source_type or None, offset, limit): what makes one list answer differ from another.
PageKey = tuple[str | None, int, int]


class PageCache:
    """A thread-safe LRU of at most ``capacity`` encoded page bodies."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity}")
        self.capacity = capacity
        self._bodies: OrderedDict[PageKey, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0
        self._compressed_bytes = 0

    def get(self, key: PageKey) -> bytes | None:
        """The page body for ``key``, or None when it is not cached."""
        compressed = self.get_gzipped(key)
        # Inflate outside the lock: other threads need not wait for it.
        return None if compressed is None else gzip.decompress(compressed)

    def get_gzipped(self, key: PageKey) -> bytes | None:
        """The page body for ``key`` as a gzip member, or None when it is not cached."""
        with self._lock:
            compressed = self._bodies.get(key)
            if compressed is None:
                self._misses += 1
                return None
            self._bodies.move_to_end(key)
            self._hits += 1
        return compressed

    def put(self, key: PageKey, body: bytes) -> None:
        """Keep ``body`` for ``key``, forgetting the least recently used page when full."""
        compressed = gzip.compress(body, compresslevel=1, mtime=0)
        with self._lock:
            previous = self._bodies.pop(key, None)
            if previous is not None:
                self._compressed_bytes -= len(previous)
            self._bodies[key] = compressed
            self._compressed_bytes += len(compressed)
            while len(self._bodies) > self.capacity:
                _key, evicted = self._bodies.popitem(last=False)
                self._compressed_bytes -= len(evicted)

    def __contains__(self, key: PageKey) -> bool:
        with self._lock:
            return key in self._bodies

    def stats(self) -> dict[str, Any]:
        """Pages held, capacity, hits, misses and the compressed bytes held."""
        with self._lock:
            return {
                "pages": len(self._bodies),
                "capacity": self.capacity,
                "hits": self._hits,
                "misses": self._misses,
                "compressed_bytes": self._compressed_bytes,
            }
