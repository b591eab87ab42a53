"""X-Request-ID: kept when the load balancer sends a sane one, replaced otherwise."""

import re

import pytest

GENERATED = re.compile(r"[0-9a-f]{32}")


def test_an_id_is_made_when_none_is_sent(client):
    response = client.get("/healthz")
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_the_load_balancers_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-2f1c9a7e-0001"})
    assert response["X-Request-ID"] == "lb-2f1c9a7e-0001"


@pytest.mark.parametrize(
    "hostile",
    [
        "x",  # too short to be an id
        "a" * 129,
        "abc def ghi",
        'abcdefgh" 200 0 0ms pid=<1>',  # would forge an access-log line
        "<script>alert(1)</script>",
        "abcdefgh\u00e9\u00e9",
    ],
)
def test_anything_else_is_replaced(client, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})
    assert GENERATED.fullmatch(response["X-Request-ID"])


@pytest.mark.django_db
def test_pages_that_need_login_carry_one_too(client):
    response = client.get("/customers/")
    assert response.status_code == 302
    assert GENERATED.fullmatch(response["X-Request-ID"])
