"""RFC 6238 one-time codes for the scripts that log an account with a second factor in
(browser-test.py, figures-vs-duckdb.py), as an authenticator app computes them."""

import base64
import hashlib
import hmac
import struct
import time


def totp(secret_b32, at=None):
    """The code (SHA-1, 6 digits, 30 s) of a base32 secret at `at` (now by default)."""
    pad = "=" * (-len(secret_b32) % 8)
    key = base64.b32decode(secret_b32.upper() + pad)
    counter = int((at or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000)
