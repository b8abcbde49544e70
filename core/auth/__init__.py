"""Accounts and logging in: passwords, sessions, CSRF, throttling and the account rules.

Each module does one thing and says why; views (``core.views.auth``) and the CLI only call
these, so the web form and the operator's command can never disagree.
"""
