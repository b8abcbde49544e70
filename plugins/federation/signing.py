"""Trust between two instances: per-peer keys, signed requests, signed responses.

The publishing instance's administrator makes a key for a harvester and hands it over once
(``pkf1.<instance id>.<key id>.<secret>``: the instance id
tells the harvester whom it is talking to before the first request); the harvesting instance's administrator enters it with the peer.
The publisher stores only the key id: the secret is derived from its own secret key
(``publisher_secret``). A harvester may hold several keys of a peer (rotation): it signs with
the newest and the publisher accepts any key of that harvester that is not revoked
(itsdangerous key lists).

A request carries ``Authorization: Bearer <token>``: a signed token with the key id, the
publisher's instance id (audience), a fresh nonce and the time it was made. It lives for
``MAX_AGE`` seconds; clocks may differ by ``SKEW`` seconds either way; a token from further in
the future (a clock 10 minutes ahead) is refused, and a nonce is accepted once.

A response carries ``X-Federation-Signature``: the request's nonce and the SHA-256 of the
body, signed with the key the request used, so a harvester knows the body is the peer's
answer to this very request.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from itsdangerous import BadSignature, URLSafeSerializer

REQUEST_SALT = "partnerskab-federation-request"
RESPONSE_SALT = "partnerskab-federation-response"
MAX_AGE = 60
SKEW = 30
KEY_PREFIX = "pkf1"
AUTH_SCHEME = "Bearer"
SIGNATURE_HEADER = "X-Federation-Signature"
_KEY = re.compile(r"^pkf1\.([0-9a-f]{32})\.([0-9a-f]{8})\.([A-Za-z0-9_-]{40,64})$")


class Refused(Exception):
    """A request the publisher will not answer; ``code`` names the reason for logs and tests."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class BadResponse(Exception):
    """A response whose signature, nonce or body hash does not check out."""


def new_kid() -> str:
    return secrets.token_hex(4)


def publisher_secret(secret_key: str, kid: str) -> str:
    digest = hmac.new(secret_key.encode(), b"federation-key\x00" + kid.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def format_key(instance_id: str, kid: str, secret: str) -> str:
    return f"{KEY_PREFIX}.{instance_id}.{kid}.{secret}"


def parse_key(text: str) -> tuple[str, str, str]:
    """(instance id, key id, secret) of a key as the publisher's administrator handed it over."""
    match = _KEY.match((text or "").strip())
    if not match:
        raise ValueError("not a federation key")
    return match.group(1), match.group(2), match.group(3)


def make_request_token(keys: list[tuple[str, str]], audience: str, now: float) -> tuple[str, str]:
    """A token signed with the newest of ``keys`` (``[(kid, secret), ...]``, oldest first), and its nonce."""
    if not keys:
        raise ValueError("no key to sign with")
    nonce = secrets.token_urlsafe(24)
    serializer = URLSafeSerializer([secret for _, secret in keys], salt=REQUEST_SALT)
    token = serializer.dumps({"kid": keys[-1][0], "aud": audience, "nonce": nonce, "iat": int(now)})
    return token, nonce


def claimed_kid(token: str) -> str | None:
    """The key id a token claims, before its signature is checked (to find the keys to check it with)."""
    try:
        _ok, payload = URLSafeSerializer("unused", salt=REQUEST_SALT).loads_unsafe(token)
    except Exception:  # noqa: BLE001 - any garbage is simply no claim
        return None
    kid = payload.get("kid") if isinstance(payload, dict) else None
    return kid if isinstance(kid, str) and re.fullmatch(r"[0-9a-f]{8}", kid) else None


def verify_request_token(token: str, secrets_of_client: list[str], audience: str, now: float) -> dict:
    """The token's claims if it is genuine, meant for us, and fresh; else ``Refused``."""
    try:
        claims = URLSafeSerializer(secrets_of_client, salt=REQUEST_SALT).loads(token)
    except BadSignature:
        raise Refused("bad-signature", "the request's signature does not match a key of this harvester") from None
    if not isinstance(claims, dict) or not isinstance(claims.get("iat"), int) or not isinstance(claims.get("nonce"), str):
        raise Refused("malformed", "the request token lacks its time or nonce")
    if claims.get("aud") != audience:
        raise Refused("wrong-audience", "the request token was made for another instance")
    issued = claims["iat"]
    if issued > now + SKEW:
        raise Refused("from-the-future", "the request token was made in the future: check the harvester's clock")
    if now - issued > MAX_AGE + SKEW:
        raise Refused("expired", "the request token has expired")
    if not 16 <= len(claims["nonce"]) <= 64:
        raise Refused("malformed", "the request token's nonce has the wrong length")
    return claims


def nonce_expiry(claims: dict) -> int:
    """Until when (epoch seconds) a nonce must be remembered: after that its token is expired anyway."""
    return claims["iat"] + MAX_AGE + SKEW + 1


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def sign_response(secret: str, nonce: str, body: bytes) -> str:
    return URLSafeSerializer(secret, salt=RESPONSE_SALT).dumps({"nonce": nonce, "sha256": body_hash(body)})


def verify_response(keys: list[tuple[str, str]], signature: str | None, nonce: str, body: bytes) -> None:
    if not signature:
        raise BadResponse("the response is not signed")
    try:
        claims = URLSafeSerializer([secret for _, secret in keys], salt=RESPONSE_SALT).loads(signature)
    except BadSignature:
        raise BadResponse("the response's signature does not match our key") from None
    if not isinstance(claims, dict) or claims.get("nonce") != nonce:
        raise BadResponse("the response answers another request")
    if not hmac.compare_digest(str(claims.get("sha256", "")), body_hash(body)):
        raise BadResponse("the response's body does not match its signature")
