"""The floor of the sync's walk: gunzip plus msgspec decoding of customer pages as Wonder
sent them, the least any design can spend on a page. ``bench/sync.py`` times it in CPU
seconds and ``bench/sync_instructions.py`` counts its instructions: both from here, so
both measure the same thing.
"""

from __future__ import annotations

import zlib

from wonder.client import CUSTOMERS_PATH, WonderClient
from wonder.contract import decode_customer_page
from wonder.signing import sign_request

__all__ = ["floor_pass", "gzipped_customer_pages"]


def gzipped_customer_pages(client: WonderClient, counts: dict[str, int]) -> list[bytes]:
    """The gzipped bodies of every 1,000-row page of ``counts`` customers per source type."""
    session = client._session()
    bodies = []
    for source_type, count in counts.items():
        for offset in range(0, count, 1000):
            uri = f"{CUSTOMERS_PATH}?limit=1000&offset={offset}&linked_source_type={source_type}"
            signed = sign_request(
                private_key=client._private_key, app_id=client.config.app_id, method="GET", uri=uri
            )
            answer = session.get(
                client.config.base_url + uri,
                headers={**signed.as_dict(), "Accept-Encoding": "gzip"},
                stream=True,
            )
            bodies.append(answer.raw.read(decode_content=False))
    return bodies


def floor_pass(bodies: list[bytes]) -> None:
    """Gunzip and decode each body once, as the client would."""
    for body in bodies:
        decode_customer_page(zlib.decompress(body, 47))
