"""Throwaway RSA key pairs for tests (2048-bit: what Wonder accepts)."""

from __future__ import annotations

from dataclasses import dataclass

from wonder.signing import generate_key_pair

__all__ = ["KeyPair", "new_key_pair"]


@dataclass(frozen=True)
class KeyPair:
    private_pem: bytes
    public_pem: bytes


def new_key_pair() -> KeyPair:
    private_pem, public_pem = generate_key_pair()
    return KeyPair(private_pem=private_pem, public_pem=public_pem)
