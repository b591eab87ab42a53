"""Fixtures of the sandbox's own tests: a throwaway key, a running sandbox, a signing client.

These tests need neither Django nor the dashboard; fixture names are prefixed so they do
not shadow the dashboard's fixtures of the same idea.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from wonder_sandbox.config import SandboxConfig
from wonder_sandbox.server import RunningSandbox, start_in_thread

from .signer import WonderTestClient

__all__: list[str] = []  # fixtures only; pytest finds them by name

# Enough for many pages of each source type and every hostile index (all below 31).
TEST_CUSTOMERS = 2000
TEST_APP_ID = "d900da8b-6e16-4a85-8a66-05d29ac53f24"


@pytest.fixture(scope="session")
def sandbox_private_key() -> rsa.RSAPrivateKey:
    """A 2048-bit RSA key made for this test session only."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def sandbox_public_pem(sandbox_private_key: rsa.RSAPrivateKey) -> bytes:
    """The PEM public half, as a merchant uploads it to Wonder."""
    return sandbox_private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture(scope="session")
def sandbox_config(sandbox_public_pem: bytes) -> SandboxConfig:
    """The configuration of the shared test sandbox."""
    return SandboxConfig(
        public_key_pem=sandbox_public_pem, app_id=TEST_APP_ID, customers=TEST_CUSTOMERS
    )


@pytest.fixture(scope="session")
def shared_sandbox(sandbox_config: SandboxConfig) -> Iterator[RunningSandbox]:
    """One sandbox over real HTTP for the whole session (starting one is cheap, but not free)."""
    running = start_in_thread(sandbox_config)
    yield running
    running.stop()


@pytest.fixture
def running_sandbox(shared_sandbox: RunningSandbox) -> Iterator[RunningSandbox]:
    """The shared sandbox with start-up faults and zero counts, whatever earlier tests did."""
    shared_sandbox.reset_faults()
    shared_sandbox.reset_counts()
    yield shared_sandbox
    shared_sandbox.reset_faults()


@pytest.fixture
def wonder_client(running_sandbox: RunningSandbox, sandbox_private_key) -> WonderTestClient:
    """A client that signs with the key the sandbox trusts."""
    return WonderTestClient(running_sandbox.base_url, sandbox_private_key, TEST_APP_ID)
