"""One partition's walk: read its pages of both source types, hand each page's rows on.

A sync splits Wonder's pages into ``partitions`` disjoint sets: partition ``p`` of ``K`` reads
page numbers ``p, p + K, p + 2K, ...`` of each source type (page ``n`` starts at offset
``n x page_size``). Every page belongs to exactly one partition, so several workers walk at
once and no page is read twice. Where a list ends is learned from X-Total-Entries or, when
Wonder does not send it, from the first short page; a partition then asks for no page past
it (at most ``concurrency`` speculative requests come back empty).

The walk writes nothing itself: ``on_page`` (the staging writer) gets each page as it
arrives, on the calling thread, while the next pages are in flight. The pool's threads
only fetch (HTTP, mostly waiting with the GIL released); pages are decoded on the calling
thread, one at a time: eight threads decoding at once cost about 2 ms a page more, each
taking the GIL from the others (bench/README.md).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from wonder import CustomerPage
from wonder.client import WonderClient
from wonder.records import LINKED_SOURCE_TYPES

__all__ = ["PartitionCursor", "partition_walk"]


@dataclass
class PartitionCursor:
    """Where one partition is in one source type's list."""

    linked_source_type: str
    partition: int
    partitions: int
    page_size: int
    next_page_number: int = -1
    # Offset where the list ends, once X-Total-Entries or a short page has shown it.
    end: int | None = None
    total: int | None = None
    answered: bool = False

    def __post_init__(self) -> None:
        self.next_page_number = self.partition

    def next_page_offset(self) -> int | None:
        offset = self.next_page_number * self.page_size
        if self.end is not None and offset >= self.end:
            return None
        self.next_page_number += self.partitions
        return offset

    def learn(self, page: CustomerPage) -> None:
        self.answered = True
        if page.total is not None and self.total is None:
            self.total = page.total
            self.end = page.total if self.end is None else min(self.end, page.total)
        if page.rows_returned < page.limit:
            # A short (or empty) page is at or past the end, with or without a total.
            page_end = page.offset + page.rows_returned
            self.end = page_end if self.end is None else min(self.end, page_end)


def partition_walk(
    *,
    client: WonderClient,
    partition: int,
    partitions: int,
    page_size: int,
    concurrency: int,
    on_page: Callable[[CustomerPage, str, dict[str, int | None]], None],
) -> None:
    """Read every page of ``partition`` (of ``partitions``), ``concurrency`` in flight.

    ``on_page(page, linked_source_type, totals)`` runs for each page as it arrives; totals
    maps each source type to its X-Total-Entries (None until known). Any exception (from
    Wonder or from ``on_page``) cancels what is still queued and propagates.
    """
    cursors = [
        PartitionCursor(source_type, partition, partitions, page_size)
        for source_type in LINKED_SOURCE_TYPES
    ]
    in_flight: dict[Future, PartitionCursor] = {}

    def submit(pool: ThreadPoolExecutor, cursor: PartitionCursor) -> bool:
        offset = cursor.next_page_offset()
        if offset is None:
            return False
        future = pool.submit(
            client.fetch_customer_page,
            limit=page_size,
            offset=offset,
            linked_source_type=cursor.linked_source_type,
        )
        in_flight[future] = cursor
        return True

    def refill(pool: ThreadPoolExecutor) -> None:
        # Round-robin over source types; one none of whose pages has come back waits, so
        # its total (or a short page) says how far to go before more are asked for.
        progressed = True
        while len(in_flight) < concurrency and progressed:
            progressed = False
            for cursor in cursors:
                if len(in_flight) < concurrency and cursor.answered and submit(pool, cursor):
                    progressed = True

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="sync-walk") as pool:
        # A first wave per source type before any total is known: one page each would leave
        # most of the allowed requests idle for the first round trip.
        for _ in range(max(1, concurrency // len(cursors))):
            for cursor in cursors:
                submit(pool, cursor)
        try:
            while in_flight:
                done, _pending = wait(in_flight, return_when=FIRST_COMPLETED)
                arrived = []
                for future in done:
                    cursor = in_flight.pop(future)
                    page = future.result().decoded()
                    cursor.learn(page)
                    arrived.append((page, cursor.linked_source_type))
                # The next requests go out before these pages are handed on (rows built and
                # written): otherwise every write would leave the pipeline short of requests.
                refill(pool)
                totals = {each.linked_source_type: each.total for each in cursors}
                for page, linked_source_type in arrived:
                    on_page(page, linked_source_type, totals)
        except BaseException:
            for future in in_flight:
                future.cancel()
            raise
