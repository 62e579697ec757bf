"""The signature a receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the secret."""

import hashlib
import hmac


def signature(secret, timestamp, body):
    """The X-Newsroom-Signature header for `body` (bytes) sent at `timestamp` (epoch seconds)."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
