"""``partnerskab create-token EMAIL [--name NAME] [--expires-in-days N]``: a personal access
token for the JSON API, printed once (only its hash is kept)."""
from __future__ import annotations

import getpass
import sys

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def cmd_create_token(platform, args) -> int:
    from core import db
    from core.auth import api_tokens
    from core.models.account import Account
    from core.rules.errors import RuleViolation
    email = (args.email or "").strip().lower()
    with db.connection():
        account = Account.get_or_none(Account.email == email)
        if account is None:
            print(f"error: email: there is no account {email}", file=sys.stderr)
            return EXIT_BAD_INPUT
        try:
            token, secret = api_tokens.create_token(account, name=args.name or "command line",
                                                    actor=f"cli:{getpass.getuser()}",
                                                    expires_in_days=args.expires_in_days)
        except RuleViolation as exc:
            for field, messages in exc.by_field().items():
                for message in messages:
                    print(f"error: {field}: {message}", file=sys.stderr)
            return EXIT_BAD_INPUT
    print(f"created token #{token.id} '{token.name}' for {account.email}"
          + (f", expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "")
          + "; it is shown only now:", file=sys.stderr)
    print(secret)
    return EXIT_OK


def add_parser(sub) -> None:
    command = sub.add_parser("create-token", help="make a personal access token for the JSON API (printed once)")
    command.add_argument("email")
    command.add_argument("--name", help="what the token is for (default: 'command line')")
    command.add_argument("--expires-in-days", type=int, help="days until it expires (default: never)")
    command.set_defaults(func=cmd_create_token)
