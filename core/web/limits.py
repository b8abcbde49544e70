"""Limits the web layer enforces, in one leaf module both the app and its error pages read."""

MAX_BODY_SIZE = 1024 * 1024  # bytes of a request body; more gets 413
