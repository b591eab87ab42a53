"""Fill the benchmark's database with failed bindings, as if scans had found them.

    python -m bench.seed --rows 50000     (with the benchmark dashboard's environment)

The report's pages read only the database, so timing them needs rows, not a scan. Two
completed scans are written (the report shows the newer; "new since the previous scan"
needs both), and ``rows`` failures with the sandbox's own vocabulary: the same error codes,
messages, token types, card brands and dial codes a real scan of the sandbox finds. A fixed
seed makes every run's data the same.
"""

from __future__ import annotations

import argparse
import os
import random
from datetime import timedelta

from wonder_sandbox.vocabulary import CARD_BRANDS, DIAL_CODES, FAILURES_BY_TOKEN_TYPE

__all__ = ["failed_bindings_seed", "main"]

_TOKEN_TYPES = (("CreditCard", 800), ("AlipayAutoDebit", 120), ("WechatPayAutoDebit", 80))
_FIRST_NAMES = ("Chan", "Wong", "Lee", "Cheung", "Lau", "Ho", "Ng", "Leung", "Tam", "Lam")
_GIVEN_NAMES = ("Ka Ming", "Wing Yan", "Siu Fung", "Mei Ling", "Chi Keung", "Hoi Yan", "Tsz Ho")


def _weighted(draws: random.Random, table: tuple) -> tuple:
    return draws.choices(table, weights=[row[1] for row in table])[0]


def failed_bindings_seed(*, rows: int, seed: int = 7) -> None:
    """Replace every scan run and failed binding with ``rows`` realistic failures.

    Runs inside a set-up Django (settings of the benchmark's dashboard).
    """
    from django.db import transaction
    from django.utils import timezone

    from customers_app.models import FailedBinding, FollowUpChange, ScanRun, ScanStatus

    draws = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        FollowUpChange.objects.all().delete()
        FailedBinding.objects.all().delete()
        ScanRun.objects.all().delete()
        runs = [
            ScanRun.objects.create(
                status=ScanStatus.COMPLETED,
                trigger="automatic",
                customers_seen=rows * 8,
                customers_expected=rows * 8,
                failures_found=rows,
                upstream_requests=max(1, rows * 8 // 1000),
            )
            for _ in range(2)
        ]
        # The newer run finished a minute ago, so the report is fresh and starts no scan.
        for age_hours, run in zip((3, 0), runs, strict=True):
            finished = now - timedelta(hours=age_hours, minutes=1)
            ScanRun.objects.filter(pk=run.pk).update(
                started_at=finished - timedelta(minutes=2),
                heartbeat_at=finished,
                finished_at=finished,
            )
        previous, latest = runs
        batch = []
        for index in range(rows):
            token_type = _weighted(draws, _TOKEN_TYPES)[0]
            error_code, error_message = draws.choice(FAILURES_BY_TOKEN_TYPE[token_type])
            state = draws.choices(("failed", "pending", "processing"), weights=(90, 8, 2))[0]
            if state != "failed":
                error_code = error_message = ""
            card_number = card_brand = ""
            if token_type == "CreditCard":  # noqa: S105 (a token type, not a secret)
                card_brand, _share, prefixes, _length = _weighted(draws, CARD_BRANDS)
                card_number = f"{draws.choice(prefixes)}******{draws.randrange(10_000):04d}"
            dial_code, _share, mobile_prefixes, digits = _weighted(draws, DIAL_CODES)
            phone = draws.choice(mobile_prefixes) + "".join(
                draws.choice("0123456789") for _ in range(digits)
            )
            first_seen = now - timedelta(minutes=draws.randrange(60 * 24 * 180))
            resolved = draws.random() < 0.15
            followup = draws.choices(("open", "contacted", "resolved"), weights=(80, 15, 5))[0]
            name = f"{draws.choice(_FIRST_NAMES)} {draws.choice(_GIVEN_NAMES)}"
            batch.append(
                FailedBinding(
                    uuid=f"bench-{index:08d}-{draws.getrandbits(64):016x}",
                    reference_number=f"REF{100000 + index}",
                    name=name,
                    email=f"{name.lower().replace(' ', '.')}{index}@example.com",
                    dial_code=dial_code,
                    phone=phone,
                    linked_source_type=draws.choices(("User", "Store"), weights=(3, 1))[0],
                    token_type=token_type,
                    state=state,
                    error_code=error_code,
                    error_message=error_message,
                    card_number=card_number,
                    card_brand=card_brand,
                    fingerprint=f"{draws.getrandbits(128):032x}",
                    first_seen_at=first_seen,
                    # Still failing: no last seen of its own (the latest sync saw it).
                    last_seen_at=now - timedelta(minutes=200) if resolved else None,
                    resolved_at=now - timedelta(hours=1) if resolved else None,
                    last_scan=previous if resolved else None,
                    new_in_scan=latest if draws.random() < 0.05 else previous,
                    followup_status=followup,
                    followup_note="Called, will update card" if followup != "open" else "",
                    followup_at=now - timedelta(days=1) if followup != "open" else None,
                )
            )
        FailedBinding.objects.bulk_create(batch, batch_size=2000)


def main(argv: list[str] | None = None) -> None:
    """Seed the database named by the environment's settings."""
    parser = argparse.ArgumentParser(prog="python -m bench.seed")
    parser.add_argument("--rows", type=int, required=True)
    arguments = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    import django

    django.setup()
    failed_bindings_seed(rows=arguments.rows)


if __name__ == "__main__":
    main()
