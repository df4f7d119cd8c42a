"""Partner API keys, stored only as SHA-256 hashes.

A leaked keys file must not leak usable keys, so it holds hashes; the presented key is hashed and
compared against every record with a constant-time comparison (no early exit), so response timing
says nothing about how close a guess was. Keys are long random tokens, so an unsalted fast hash is
enough: there is nothing to brute-force. The file is read at start-up; rotating keys means updating
the file (a Kubernetes Secret) and rolling the gateway.

``python -m lingxi_gateway.auth.api_keys --partner acme --scope events:write`` prints a new key and
the record to add to the file.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import secrets
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

KEY_PREFIX = "lxk_"
MAX_KEY_LENGTH = 256


class ApiKeyRecord(BaseModel):
    """One entry of the keys file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_id: str = Field(min_length=1, max_length=64, description="Public identifier, safe to log")
    key_sha256: str = Field(description="Lower-case hex SHA-256 of the key")
    partner_id: str = Field(min_length=1, max_length=128)
    scopes: frozenset[str] = Field(default_factory=frozenset)
    rate_limit_per_minute: int | None = Field(default=None, gt=0)

    @field_validator("key_sha256")
    @classmethod
    def _hex_digest(cls, value: str) -> str:
        value = value.lower()
        if len(value) != 64 or any(char not in "0123456789abcdef" for char in value):
            raise ValueError("must be 64 hex characters (SHA-256 of the key)")
        return value


class ApiKeyFileError(ValueError):
    """The keys file cannot be used; the message names the file and the problem."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyStore:
    """Looks up the record of a presented key."""

    def __init__(self, records: Iterable[ApiKeyRecord] = ()) -> None:
        self._records = list(records)
        seen: set[str] = set()
        for record in self._records:
            if record.key_id in seen:
                raise ApiKeyFileError(f"duplicate key_id {record.key_id!r}")
            seen.add(record.key_id)

    def __len__(self) -> int:
        return len(self._records)

    @classmethod
    def from_file(cls, path: Path | None) -> ApiKeyStore:
        """Load the JSON list at ``path``; ``None`` means no partners are configured."""
        if path is None:
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise ApiKeyFileError(f"{path}: cannot be read ({error.strerror})") from error
        except json.JSONDecodeError as error:
            raise ApiKeyFileError(f"{path}: not JSON ({error.msg} at line {error.lineno})") from error
        try:
            records = TypeAdapter(list[ApiKeyRecord]).validate_python(raw)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ApiKeyFileError(f"{path}: {where}: {first['msg']}") from error
        try:
            return cls(records)
        except ApiKeyFileError as error:
            raise ApiKeyFileError(f"{path}: {error}") from error

    def lookup(self, presented: str) -> ApiKeyRecord | None:
        """The record whose hash matches ``presented``, compared in constant time against all records."""
        if not presented or len(presented) > MAX_KEY_LENGTH:
            return None
        digest = hash_key(presented).encode()
        found: ApiKeyRecord | None = None
        for record in self._records:
            if hmac.compare_digest(digest, record.key_sha256.encode()):
                found = record
        return found


def generate_key(
    partner_id: str,
    *,
    key_id: str | None = None,
    scopes: Iterable[str] = (),
    rate_limit_per_minute: int | None = None,
) -> tuple[str, ApiKeyRecord]:
    """A new random key and the record (with its hash) to store for it."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKeyRecord(
        key_id=key_id or f"{partner_id}-{secrets.token_hex(4)}",
        key_sha256=hash_key(key),
        partner_id=partner_id,
        scopes=frozenset(scopes),
        rate_limit_per_minute=rate_limit_per_minute,
    )
    return key, record


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create a partner API key for the Lingxi gateway")
    parser.add_argument("--partner", required=True, help="partner id")
    parser.add_argument("--key-id", default=None)
    parser.add_argument("--scope", action="append", default=[], help="repeat for several scopes")
    parser.add_argument("--rate-limit", type=int, default=None, help="requests per minute")
    args = parser.parse_args(argv)
    key, record = generate_key(
        args.partner, key_id=args.key_id, scopes=args.scope, rate_limit_per_minute=args.rate_limit
    )
    sys.stdout.write(f"key (give to the partner, shown once): {key}\n")
    sys.stdout.write("record (add to LINGXI_API_KEYS_FILE):\n")
    sys.stdout.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
