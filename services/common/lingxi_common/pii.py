"""Personal information: masking for logs and responses, encryption at rest.

PIPL asks for minimal exposure: phone numbers, id numbers and WeChat ids never appear in a log
line, and appear in an API response only when the caller's role needs them. At rest they are
encrypted with AES-GCM; a keyed hash (blind index) lets a service look a customer up by phone
without decrypting every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])")
_OPENID = re.compile(r"\b(o[A-Za-z0-9_-]{5})[A-Za-z0-9_-]{16,}\b")


def mask_phone(phone: str) -> str:
    """138****1234: enough for a person to recognise their number, useless to a scraper."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(id_number: str) -> str:
    value = id_number.strip()
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_openid(openid: str) -> str:
    value = openid.strip()
    return f"{value[:6]}***" if len(value) > 6 else "***"


def mask_text(text: str) -> str:
    """Mask every phone number, id number and openid found in free text (log messages)."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)[:4]}**********{m.group(3)[-4:]}", text)
    text = _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _OPENID.sub(lambda m: f"{m.group(1)}***", text)


class PiiCipher:
    """AES-256-GCM for PII columns plus an HMAC blind index for equality look-ups."""

    _VERSION = b"v1"

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("PII key must be 32 bytes (base64 of 32 random bytes in LINGXI_PII_KEY)")
        self._aead = AESGCM(key)
        self._index_key = hashlib.sha256(b"lingxi-blind-index" + key).digest()

    @classmethod
    def from_base64(cls, encoded: str) -> PiiCipher:
        try:
            key = base64.b64decode(encoded, validate=True)
        except ValueError as error:
            raise ValueError("LINGXI_PII_KEY is not valid base64") from error
        return cls(key)

    def encrypt(self, plaintext: str, *, context: str) -> bytes:
        """Encrypt one value; `context` (e.g. "customer.phone") is bound as associated data."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return self._VERSION + nonce + sealed

    def decrypt(self, blob: bytes, *, context: str) -> str:
        if blob[:2] != self._VERSION:
            raise ValueError("unknown PII ciphertext version")
        nonce, sealed = blob[2:14], blob[14:]
        return self._aead.decrypt(nonce, sealed, context.encode()).decode()

    def blind_index(self, value: str, *, context: str) -> str:
        digest = hmac.new(self._index_key, f"{context}:{value.strip()}".encode(), hashlib.sha256)
        return digest.hexdigest()

    def encrypt_many(self, plaintexts: Sequence[str], *, context: str) -> list[bytes]:
        """`encrypt` for a column of values (bulk imports): the same format, one nonce draw.

        Each value still gets its own random nonce; drawing them in one call and skipping the
        per-value overhead is what makes encrypting millions of rows affordable.
        """
        nonces = os.urandom(12 * len(plaintexts))
        aad = context.encode()
        seal = self._aead.encrypt
        version = self._VERSION
        return [
            version + nonces[i : i + 12] + seal(nonces[i : i + 12], text.encode(), aad)
            for i, text in zip(range(0, 12 * len(plaintexts), 12), plaintexts, strict=True)
        ]

    def blind_index_many(self, values: Sequence[str], *, context: str) -> list[str]:
        """`blind_index` for a column of values (same digests, without per-call HMAC objects)."""
        key = self._index_key
        prefix = f"{context}:"
        return [hmac.digest(key, (prefix + value.strip()).encode(), "sha256").hex() for value in values]
