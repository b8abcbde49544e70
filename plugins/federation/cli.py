"""Command line: ``partnerskab harvest`` for cron (a progress line per peer; exit 1 when a
peer failed), and ``partnerskab federation ...`` for the keys, peers, sharing and epoch.

Keys are secrets: ``federation harvester add`` prints one once; ``federation peer add`` reads
one from stdin or ``PARTNERSKAB_FEDERATION_KEY``, never from the command line (where it would
stay in the shell history and ``ps``).
"""
from __future__ import annotations

import getpass
import os
import sys

from core import db
from core.rules.errors import RuleViolation

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _problems(exc: RuleViolation) -> int:
    for field, messages in exc.by_field().items():
        for message in messages:
            print(f"error: {field}: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_harvest(platform, args) -> int:
    from plugins.federation.harvest import Options, harvest_all
    options = Options(connect_timeout=args.connect_timeout, read_timeout=args.read_timeout,
                      run_deadline=args.run_timeout)
    reports = harvest_all(platform, peer_names=args.peer or None, options=options,
                          progress=lambda line: print(line, flush=True))
    if not reports:
        print("no peers to harvest: register one with 'partnerskab federation peer add'")
    return EXIT_ERROR if any(report.status == "failed" for report in reports) else EXIT_OK


def _read_key() -> str:
    if os.environ.get("PARTNERSKAB_FEDERATION_KEY"):
        return os.environ["PARTNERSKAB_FEDERATION_KEY"]
    if sys.stdin.isatty():
        return getpass.getpass("Key from the peer's administrator: ")
    return sys.stdin.readline().strip()


def cmd_harvester_add(platform, args) -> int:
    from plugins.federation import keys
    with db.connection():
        try:
            client, text = keys.create_client(platform, args.name, _actor())
        except RuleViolation as exc:
            return _problems(exc)
    print(f"harvester '{client.name}' may now read the shared feeds; its key, shown only now:", file=sys.stderr)
    print(text)
    return EXIT_OK


def cmd_harvester_key(platform, args) -> int:
    from plugins.federation import keys
    from plugins.federation.models import Harvester
    with db.connection():
        client = Harvester.get_or_none(Harvester.name == args.name, Harvester.revoked_at.is_null())
        if client is None:
            print(f"error: name: there is no harvester {args.name}", file=sys.stderr)
            return EXIT_BAD_INPUT
        text = keys.new_client_key(platform, client, _actor())
    print(f"a new key for '{client.name}' (revoke the old one once the harvester uses this), shown only now:",
          file=sys.stderr)
    print(text)
    return EXIT_OK


def cmd_peer_add(platform, args) -> int:
    from plugins.federation import keys
    key_text = _read_key()
    with db.connection():
        try:
            peer = keys.register_peer(args.name, args.url, key_text, _actor())
        except RuleViolation as exc:
            return _problems(exc)
    print(f"registered peer '{peer.name}' at {peer.base_url}")
    return EXIT_OK


def cmd_peers(platform, args) -> int:
    from plugins.federation.harvest import is_stale
    from plugins.federation.models import Peer
    with db.connection():
        peers = list(Peer.select().order_by(Peer.name))
    for peer in peers:
        stale = " (stale)" if is_stale(peer) else ""
        last = f"{peer.last_success_at:%Y-%m-%d %H:%M:%S}" if peer.last_success_at else "never"
        print(f"{peer.name} {peer.base_url} {'active' if peer.active else 'inactive'}; "
              f"last success {last}{stale}; last run {peer.last_status or '-'}")
    if not peers:
        print("no peers")
    return EXIT_OK


def cmd_share(platform, args) -> int:
    from plugins.federation import sharing
    from plugins.federation.kinds import kinds_for, municipality_scope
    from core.models.municipality import Municipality
    kinds = kinds_for(platform)
    with db.connection():
        if args.all:
            changed = sharing.share_everything(kinds, _actor())
        else:
            if args.kind not in kinds:
                print(f"error: kind: choose one of {', '.join(kinds)}", file=sys.stderr)
                return EXIT_BAD_INPUT
            municipality = Municipality.get_or_none(Municipality.code == (args.municipality or "").strip())
            if municipality is None:
                print(f"error: municipality: there is no municipality with code {args.municipality}", file=sys.stderr)
                return EXIT_BAD_INPUT
            scope = municipality_scope(municipality.id)
            changed = sharing.set_sharing(kinds, {(scope, args.kind): not args.off}, {scope}, _actor())
    print(f"{changed} sharing setting(s) changed")
    return EXIT_OK


def cmd_new_epoch(platform, args) -> int:
    from plugins.federation import sharing
    with db.connection():
        row = sharing.new_epoch(_actor())
    print(f"new feed epoch {row.epoch}: harvesters will read everything again")
    return EXIT_OK


def register(subparsers) -> None:
    harvest = subparsers.add_parser("harvest", help="harvest the registered peers' feeds (for cron)")
    harvest.add_argument("--peer", action="append", help="only this peer (repeatable)")
    harvest.add_argument("--connect-timeout", type=float, default=5.0, help="seconds to connect (default 5)")
    harvest.add_argument("--read-timeout", type=float, default=20.0, help="seconds to wait for data (default 20)")
    harvest.add_argument("--run-timeout", type=float, default=3600.0,
                         help="watchdog: seconds for the whole run (default 3600)")
    harvest.set_defaults(func=cmd_harvest)

    federation = subparsers.add_parser("federation", help="federation: harvesters, peers, sharing, epoch")
    actions = federation.add_subparsers(dest="federation_command", metavar="action", required=True)
    add = actions.add_parser("harvester-add", help="let a harvester read the shared feeds; prints its key once")
    add.add_argument("name")
    add.set_defaults(func=cmd_harvester_add)
    rotate = actions.add_parser("harvester-key", help="a new key for a harvester (rotation); prints it once")
    rotate.add_argument("name")
    rotate.set_defaults(func=cmd_harvester_key)
    peer = actions.add_parser("peer-add", help="register a peer to harvest (key from stdin or "
                                               "PARTNERSKAB_FEDERATION_KEY)")
    peer.add_argument("name")
    peer.add_argument("url", help="the peer's address, e.g. https://partnerskab.example.dk")
    peer.set_defaults(func=cmd_peer_add)
    actions.add_parser("peers", help="list the peers and their freshness").set_defaults(func=cmd_peers)
    share = actions.add_parser("share", help="share a kind for a municipality (or everything with --all)")
    share.add_argument("--all", action="store_true", help="share every kind for every municipality")
    share.add_argument("--kind")
    share.add_argument("--municipality", help="municipality code")
    share.add_argument("--off", action="store_true", help="stop sharing instead")
    share.set_defaults(func=cmd_share)
    actions.add_parser("new-epoch", help="start a new feed epoch (after restoring a backup)").set_defaults(
        func=cmd_new_epoch)
