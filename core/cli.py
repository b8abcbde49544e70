"""The ``partnerskab`` command: serve, migrate, demo, seed, plugins, check-config, fee, users and sessions.

Every command reads the same configuration as the web app (``--config`` or
``PARTNERSKAB_CONFIG``) and writes only through the core's rules, so the CLI can never do
what a web form may not. Bad input ends with a message and exit code 2; nothing is written.
"""
from __future__ import annotations

import argparse
import datetime
import getpass
import os
import sys

from core import clock, db, i18n, inputs
from core.settings import ConfigError

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2


def cmd_migrate(platform, args) -> int:
    with db.connection():
        applied = db.migrate(platform.migration_sources)
    ran = [f"{component}: {name}" for component, names in applied.items() for name in names]
    print("\n".join(f"applied {line}" for line in ran) if ran else "database is up to date")
    return EXIT_OK


def cmd_demo(platform, args) -> int:
    if not platform.settings.demo:
        print("this deployment is not a demo (demo = false): refusing to load demo data", file=sys.stderr)
        return EXIT_ERROR
    from core import demo
    from core.models import Organisation, Programme
    with db.connection():
        pending = {c: n for c, n in db.pending(platform.migration_sources).items() if n}
        if pending:
            print("the database has pending migrations: run 'partnerskab migrate' first", file=sys.stderr)
            return EXIT_ERROR
        demo.load(platform)
        print(f"demo data loaded: {Organisation.select().count()} organisations, "
              f"{Programme.select().count()} programmes")
    return EXIT_OK


def cmd_seed(platform, args) -> int:
    """The seed data of the declared programme types ([seed] in their TOML), idempotently."""
    from core import seed
    from core.rules.errors import RuleViolation
    with db.connection():
        pending = {c: n for c, n in db.pending(platform.migration_sources).items() if n}
        if pending:
            print("the database has pending migrations: run 'partnerskab migrate' first", file=sys.stderr)
            return EXIT_ERROR
        try:
            programmes = seed.load(platform)
        except RuleViolation as exc:
            return _print_problems(exc)
    if not platform.declarations:
        print("no programme types are declared (programme_types in the configuration)")
    for programme in programmes:
        print(f"seeded {programme.slug}: {programme.name} ({programme.municipality.name})")
    return EXIT_OK


def cmd_plugins(platform, args) -> int:
    from core.plugins import plugin_infos
    for info in plugin_infos(platform.pm):
        if info.name == "core" and not args.all:
            continue
        print(f"{info.name} {info.version}")
        print(f"    hooks: {', '.join(info.hooks) or '-'}")
    return EXIT_OK


def cmd_serve(platform, args) -> int:
    import uvicorn
    settings = platform.settings
    from core.auth import startup
    try:
        startup.check(settings)
    except ConfigError as exc:
        print(f"refusing to start: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.config:
        os.environ["PARTNERSKAB_CONFIG"] = str(args.config)
    # the app's settings are read again in the server's process: hand it where it listens, so a
    # demo without base_url puts its own address (not a request's Host header) in mailed links
    if args.host:
        os.environ["PARTNERSKAB_HOST"] = args.host
    if args.port:
        os.environ["PARTNERSKAB_PORT"] = str(args.port)
    uvicorn.run("core.app:asgi_app", factory=True, host=args.host or settings.host,
                port=args.port or settings.port, workers=settings.workers,
                log_level=settings.log_level,
                # behind the configured reverse proxies only, X-Forwarded-Proto says the site is
                # served over HTTPS (HSTS, Secure cookies); nobody else can claim it
                proxy_headers=bool(settings.trusted_proxies),
                forwarded_allow_ips=list(settings.trusted_proxies) or None)
    return EXIT_OK


def cmd_check_config(args) -> int:
    """Report every problem found, in words; exit 1 when there is any."""
    from core import platform, settings
    from core.web.templates import build_environment, theme_chain
    problems: list[str] = []
    try:
        loaded = settings.load(args.config)
    except ConfigError as exc:
        print(f"problem: {exc}")
        return EXIT_ERROR
    print(f"configuration: {loaded.source}")
    try:
        theme_chain(loaded.theme)
    except ConfigError as exc:
        problems.append(str(exc))
    try:
        built = platform.build(loaded)
    except ConfigError as exc:
        problems.append(str(exc))
        built = None
    if built is not None:
        from core.plugin_checks import plugin_problems
        try:
            environment = build_environment(loaded.theme, [(d.parent.name, d) for d in built.plugin_directories(
                "templates")], platform.CORE_DIR / "templates")
        except ConfigError:
            environment = None  # the theme's problem is already reported
        problems += plugin_problems(built, environment)
        try:
            with db.connection():
                db.database.execute_sql("SELECT 1")
                waiting = {c: n for c, n in db.pending(built.migration_sources).items() if n}
            if waiting:
                problems.append("pending migrations: " + "; ".join(
                    f"{c}: {', '.join(n)}" for c, n in waiting.items()) + " (run 'partnerskab migrate')")
        except Exception as exc:
            problems.append(f"the database at {_redact(loaded.database_url)} is unreachable: "
                            f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}")
    for problem in problems:
        print(f"problem: {problem}")
    if not problems:
        declared = f", {len(built.declarations)} declared programme type(s)" if built.declarations else ""
        print(f"ok: {len(loaded.plugins)} plugin(s){declared}, theme '{loaded.theme}', database {db.backend_name()}")
    return EXIT_ERROR if problems else EXIT_OK


def _redact(url: str) -> str:
    from urllib.parse import urlparse
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def cmd_fee_record(platform, args) -> int:
    from core.models import Organisation, Programme
    from core.rules import money
    from core.rules.errors import RuleViolation
    from core.rules.identifiers import normalise_cvr
    with db.connection():
        try:
            programme = Programme.get_or_none(Programme.slug == args.programme)
            if programme is None:
                raise RuleViolation.one("programme", "There is no programme %(value)s", value=args.programme)
            organisation = Organisation.get_or_none(Organisation.slug == args.organisation)
            if organisation is None and args.organisation.strip().isdecimal():
                organisation = Organisation.get_or_none(Organisation.cvr == normalise_cvr(args.organisation))
            if organisation is None:
                raise RuleViolation.one("organisation", "There is no organisation %(value)s",
                                        value=args.organisation)
            amount = money.parse_amount(args.amount)
            granted_on = inputs.parse_date(args.date, "granted_on") if args.date else datetime.date.today()
            fee = money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                           amount_ore=amount, granted_on=granted_on,
                                           actor=f"cli:{getpass.getuser()}", note=args.note or "")
        except RuleViolation as exc:
            for field, messages in exc.by_field().items():
                for message in messages:
                    print(f"error: {field}: {message}", file=sys.stderr)
            return EXIT_BAD_INPUT
    print(f"recorded sign-on fee #{fee.id}: {i18n.format_money(fee.amount_ore)} to {organisation.name} "
          f"in {programme.name} ({fee.granted_on.isoformat()})")
    return EXIT_OK


def _read_password() -> str:
    """From PARTNERSKAB_PASSWORD, else stdin: typed twice on a terminal, first line of a pipe.
    Never from the command line, where it would stay in the shell history and ``ps``."""
    if os.environ.get("PARTNERSKAB_PASSWORD"):
        return os.environ["PARTNERSKAB_PASSWORD"]
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _print_problems(exc) -> int:
    for field, messages in exc.by_field().items():
        for message in messages:
            print(f"error: {field}: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_create_user(platform, args) -> int:
    from core.auth import accounts
    from core.rules.errors import RuleViolation
    try:
        password = _read_password()
    except ValueError as exc:
        print(f"error: password: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    with db.connection():
        try:
            account = accounts.create_account(email=args.email, name=args.name or "", password=password,
                                              role=args.role, municipality_code=args.municipality,
                                              organisation_ref=args.organisation,
                                              actor=f"cli:{getpass.getuser()}")
        except RuleViolation as exc:
            return _print_problems(exc)
    print(f"created account #{account.id} {account.email} with the role {args.role}")
    return EXIT_OK


def cmd_sessions_revoke(platform, args) -> int:
    from core.auth import accounts
    from core.rules.errors import RuleViolation
    with db.connection():
        try:
            ended = accounts.revoke_sessions(args.email, actor=f"cli:{getpass.getuser()}")
        except RuleViolation as exc:
            return _print_problems(exc)
    print(f"ended {ended} session(s) of {args.email.strip().lower()}")
    return EXIT_OK


def cmd_outbox(platform, args) -> int:
    """The newest mails kept in the outbox (no SMTP server configured), newest first."""
    from core import mail
    if args.limit < 1:
        print("error: --limit: give a number of 1 or more", file=sys.stderr)
        return EXIT_BAD_INPUT
    with db.connection():
        messages = mail.outbox(limit=args.limit, to=args.to)
    if platform.settings.smtp_host:
        print(f"(mail goes through SMTP at {platform.settings.smtp_host}; the outbox holds only older mail)")
    if not messages:
        print("the outbox is empty" + (f" for {args.to.strip().lower()}" if args.to else ""))
    for message in messages:
        print(f"=== #{message.id} {message.created_at:%Y-%m-%d %H:%M:%S} UTC")
        print(f"From: {message.sender}\nTo: {message.recipient}\nSubject: {message.subject}\n")
        print(message.body.rstrip("\n") + "\n")
        for attachment in message.attachment_list:
            print(f"[attachment {attachment.position}: {attachment.filename}, {attachment.content_type}, "
                  f"{attachment.size} bytes]")
        if message.attachment_list:
            print()
    return EXIT_OK


def _moment(text: str | None):
    """An ISO date-time (UTC unless it says otherwise), for ``--now``."""
    if not text:
        return None
    return clock.as_utc(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))


def cmd_jobs_run(platform, args) -> int:
    """Run the due scheduled jobs once and exit (for cron); exit 1 when a job failed."""
    from core import jobs
    try:
        now = _moment(args.now)
    except ValueError:
        print(f"error: --now: '{args.now}' is not a date and time (YYYY-MM-DDTHH:MM)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        outcomes = jobs.run_due(platform, now=now, only=args.job)
    except KeyError:
        print(f"error: --job: there is no job '{args.job}'; jobs are {', '.join(platform.jobs) or 'none'}",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    for outcome in outcomes:
        slot = outcome.slot.isoformat() if outcome.slot else "-"
        print(f"{outcome.job} {slot}: {outcome.status}" + (f" ({outcome.detail})" if outcome.detail else ""))
    return EXIT_ERROR if any(outcome.status == "failed" for outcome in outcomes) else EXIT_OK


def cmd_jobs_list(platform, args) -> int:
    """The declared jobs: schedule, plugin, and the slot each last ran for."""
    from core import jobs
    with db.connection():
        for name, job in platform.jobs.items():
            last = jobs.last_slot(name)
            print(f"{name} [{job.plugin}] {job.schedule.describe()}; last run for "
                  f"{last.isoformat() if last else 'never'}" + (f" – {job.description}" if job.description else ""))
    return EXIT_OK


def cmd_new_plugin(platform, args) -> int:
    """Write a new plugin (``core.scaffold``) and say how to enable it."""
    from pathlib import Path

    from core import scaffold
    from core.plugins import available_plugins
    from core.settings import ROOT
    root = Path(args.root).resolve() if args.root else ROOT
    try:
        written = scaffold.create(root, args.name, title=args.title, code=args.municipality_code,
                                  municipality=args.municipality_name, region=args.region or "",
                                  taken=set(available_plugins()))
    except scaffold.ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for path in written:
        print(f"created {path.relative_to(root)}")
    enabled = [*platform.settings.plugins, args.name]
    listed = ", ".join(f'"{name}"' for name in enabled)
    print(f"\nEnable it: in {platform.settings.source or 'your configuration file'} set\n"
          f"    plugins = [{listed}]\n"
          f"or set PARTNERSKAB_PLUGINS={','.join(enabled)}\n"
          "then run 'partnerskab migrate' and 'partnerskab demo', and see docs/plugins.md.")
    return EXIT_OK


def cmd_export(platform, args) -> int:
    """An export to a file (or stdout): the 360Giving package, or any registered dataset (the
    core's payments, commitments, applications, agreements and the plugins') as CSV or Excel,
    every row (the operator's export: no tenancy)."""
    from core import exports
    if args.dataset == "360giving":
        stream = exports.threesixtygiving_stream(platform.settings)
    else:
        dataset = platform.export_datasets.get(args.dataset)
        if dataset is None:
            print(f"error: dataset: there is no dataset '{args.dataset}'; there are 360giving, "
                  f"{', '.join(platform.export_datasets)}", file=sys.stderr)
            return EXIT_BAD_INPUT
        fmt = args.format or ("xlsx" if (args.output or "").endswith(".xlsx") else "csv")
        if fmt == "xlsx" and not args.output:
            print("error: --output: an Excel file needs a file name", file=sys.stderr)
            return EXIT_BAD_INPUT
        batches = exports.chained(*((source.fetcher(None), source.values) for source in dataset.sources))
        columns = dataset.column_titles()
        from core import csv_writer
        stream = (exports.xlsx_stream(args.dataset, columns, batches) if fmt == "xlsx"
                  else exports.csv_stream(columns, batches, csv_writer.DIALECTS[args.dialect]))
    written = 0
    if args.output:
        try:
            with open(args.output, "wb") as fh:
                for chunk in stream:
                    fh.write(chunk)
                    written += len(chunk)
        except OSError as exc:
            print(f"error: --output: {exc.strerror}: {args.output}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"wrote {args.dataset} to {args.output} ({written} bytes)", file=sys.stderr)
    else:
        for chunk in stream:
            sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
    return EXIT_OK


def _positive_int(text: str) -> int:
    if not text.isdecimal() or not 0 < int(text) <= 10_000_000:
        raise argparse.ArgumentTypeError("a whole number from 1 to 10,000,000")
    return int(text)


def cmd_bench_data(platform, args) -> int:
    """Fill an empty, migrated database with the benchmark data set of a scale."""
    from core import benchdata
    from core.models import Organisation
    if not platform.settings.demo:
        print("this deployment is not a demo (demo = false): refusing to load benchmark data", file=sys.stderr)
        return EXIT_ERROR
    with db.connection():
        if any(db.pending(platform.migration_sources).values()):
            print("the database has pending migrations: run 'partnerskab migrate' first", file=sys.stderr)
            return EXIT_ERROR
        if Organisation.select().exists():
            print("the database already holds organisations: bench-data fills an empty database "
                  "(a fresh SQLite file or PostgreSQL schema, migrated)", file=sys.stderr)
            return EXIT_BAD_INPUT
        counts = benchdata.generate(platform, args.scale, seed=args.seed, organisations=args.organisations,
                                    log=lambda line: print(line, file=sys.stderr))
    print(", ".join(f"{count:,} {name}" for name, count in counts.items()))
    return EXIT_OK


def cmd_backup(platform, args) -> int:
    from core import backup
    try:
        size = backup.backup(platform.settings.database_url, args.file)
    except backup.BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"backed up the {db.backend_name()} database to {args.file} ({size:,} bytes)")
    return EXIT_OK


def cmd_restore(platform, args) -> int:
    from core import backup
    if not args.yes:
        print("restore replaces everything in the database with the backup: add --yes to go ahead", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        backup.restore(platform.settings.database_url, args.file)
    except backup.BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"restored the {db.backend_name()} database from {args.file}")
    return EXIT_OK


def parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    main_parser = argparse.ArgumentParser(prog="partnerskab", description=__doc__.splitlines()[0])
    main_parser.add_argument("--config", help="configuration file (default: $PARTNERSKAB_CONFIG or config/default.toml)")
    sub = main_parser.add_subparsers(dest="command", metavar="command", required=True)
    serve = sub.add_parser("serve", help="serve the web app with uvicorn")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="apply pending migrations (idempotent)").set_defaults(func=cmd_migrate)
    sub.add_parser("demo", help="load the demo data (idempotent)").set_defaults(func=cmd_demo)
    sub.add_parser("seed", help="load the seed data of the declared programme types (idempotent)").set_defaults(
        func=cmd_seed)
    plugins = sub.add_parser("plugins", help="list the active plugins, their versions and hooks")
    plugins.add_argument("--all", action="store_true", help="include the core's default plugin")
    plugins.set_defaults(func=cmd_plugins)
    sub.add_parser("check-config", help="report configuration problems in words").set_defaults(func=None)
    fee = sub.add_parser("fee", help="sign-on fees").add_subparsers(dest="fee_command", metavar="action",
                                                                      required=True)
    record = fee.add_parser("record", help="record a sign-on fee through the money rules")
    record.add_argument("--programme", required=True, help="programme slug")
    record.add_argument("--organisation", required=True, help="organisation slug or CVR number")
    record.add_argument("--amount", required=True, help="amount in kroner, e.g. 30000 or 30.000,00")
    record.add_argument("--date", help="date granted, YYYY-MM-DD (default: today)")
    record.add_argument("--note", help="a short note")
    record.set_defaults(func=cmd_fee_record)
    from core.models.account import ROLES
    create_user = sub.add_parser("create-user", help="create an account with a role in a scope "
                                                     "(password from stdin or PARTNERSKAB_PASSWORD)")
    create_user.add_argument("email")
    create_user.add_argument("--role", required=True, choices=ROLES)
    create_user.add_argument("--municipality", help="municipality code, for municipality_admin and consultant")
    create_user.add_argument("--organisation", help="organisation CVR number or short name (slug), for "
                                                    "volunteer_centre_coordinator, resource_person, board_member")
    create_user.add_argument("--name", help="the person's name")
    create_user.set_defaults(func=cmd_create_user)
    session_cmds = sub.add_parser("sessions", help="login sessions").add_subparsers(
        dest="sessions_command", metavar="action", required=True)
    revoke = session_cmds.add_parser("revoke", help="end every open session of an account at once")
    revoke.add_argument("email")
    revoke.set_defaults(func=cmd_sessions_revoke)
    outbox = sub.add_parser("outbox", help="print the newest mails kept in the outbox (when no SMTP server is set)")
    outbox.add_argument("--limit", type=int, default=10, help="how many messages (default: 10)")
    outbox.add_argument("--to", help="only messages to this email address")
    outbox.set_defaults(func=cmd_outbox)
    new_plugin = sub.add_parser("new-plugin", help="write a new municipality's plugin (plugins/NAME) with its "
                                                   "catalogue and tests, and print how to enable it")
    new_plugin.add_argument("name", help="the plugin's name: lower-case letters, digits and '_' (e.g. vejle)")
    new_plugin.add_argument("--title", help="how people call it (default: from the name, e.g. Vejle)")
    new_plugin.add_argument("--municipality-code", default="0000", help="the municipality's official 4-digit code")
    new_plugin.add_argument("--municipality-name", help="default: '<title> Kommune'")
    new_plugin.add_argument("--region", help="the municipality's region, e.g. 'Region Syddanmark'")
    new_plugin.add_argument("--root", help="the project folder to write into (default: this checkout)")
    new_plugin.set_defaults(func=cmd_new_plugin)
    job_cmds = sub.add_parser("jobs", help="scheduled jobs").add_subparsers(dest="jobs_command", metavar="action",
                                                                            required=True)
    run_jobs = job_cmds.add_parser("run", help="run the due jobs once and exit (for cron; each job and slot "
                                               "runs once across all workers)")
    run_jobs.add_argument("--job", help="only this job")
    run_jobs.add_argument("--now", help="act as if it were this moment (ISO, UTC unless given): for catching up "
                                        "and tests")
    run_jobs.set_defaults(func=cmd_jobs_run)
    job_cmds.add_parser("list", help="list the jobs, their schedules and last runs").set_defaults(func=cmd_jobs_list)
    export = sub.add_parser("export", help="export 360Giving JSON, or a dataset (payments, commitments, "
                                           "applications, agreements, the plugins' own) as CSV or Excel")
    export.add_argument("dataset", help="360giving, or the name of a dataset listed on /exports")
    export.add_argument("--output", help="file to write (default: standard output)")
    export.add_argument("--format", choices=("csv", "xlsx"), help="for payments and commitments (default: "
                                                                  "from the file name, else csv)")
    export.add_argument("--dialect", choices=("excel", "machine"), default="excel",
                        help="CSV for Danish Excel (';', decimal commas, words; the default) or for programs "
                             "(',', decimal points, codes)")
    export.set_defaults(func=cmd_export)
    backup_cmd = sub.add_parser("backup", help="write a consistent backup of the live database to a file "
                                               "(SQLite's online backup API; pg_dump)")
    backup_cmd.add_argument("file", help="the backup file to write")
    backup_cmd.set_defaults(func=cmd_backup)
    restore_cmd = sub.add_parser("restore", help="replace the database with a backup (pg_restore on PostgreSQL)")
    restore_cmd.add_argument("file", help="a file written by 'partnerskab backup'")
    restore_cmd.add_argument("--yes", action="store_true", help="yes, replace everything in the database")
    restore_cmd.set_defaults(func=cmd_restore)
    bench_data = sub.add_parser("bench-data", help="fill an empty database with a benchmark data set "
                                                   "(98 municipalities, organisations, payments, audit rows)")
    bench_data.add_argument("--scale", default="national", choices=("1000", "100000", "national", "1000000"),
                            help="organisations: 1,000, 100,000 (= national) or 1,000,000 (default: national)")
    bench_data.add_argument("--organisations", type=_positive_int, default=None,
                            help="this many organisations instead of the scale's, the rest in proportion "
                                 "(a small set for tests)")
    bench_data.add_argument("--seed", type=int, default=2025, help="the same seed gives the same data (default: 2025)")
    bench_data.set_defaults(func=cmd_bench_data)
    from core.api.commands import add_parser as add_token_parser
    add_token_parser(sub)
    return main_parser, sub


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    main_parser, sub = parser()
    # Plugins may add commands: peek at --config, build the platform, let them register.
    args_config = _peek_config(argv)
    platform = None
    if "check-config" not in argv:
        try:
            from core import platform as platform_module, settings
            platform = platform_module.build(settings.load(args_config))
        except ConfigError as exc:
            print(f"configuration problem: {exc}\n(run 'partnerskab check-config' for details)", file=sys.stderr)
            return EXIT_ERROR
        platform.pm.hook.register_commands(subparsers=sub, platform=platform)
    args = main_parser.parse_args(argv)
    if args.command == "check-config":
        return cmd_check_config(args)
    from peewee import OperationalError
    try:
        return args.func(platform, args)
    except OperationalError as exc:  # the database is unreachable or refused: words, not a traceback
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: the database at {_redact(platform.settings.database_url)} could not be used: {detail}\n"
              "(run 'partnerskab check-config' for details)", file=sys.stderr)
        return EXIT_ERROR


def _peek_config(argv: list[str]) -> str | None:
    for index, item in enumerate(argv):
        if item == "--config" and index + 1 < len(argv):
            return argv[index + 1]
        if item.startswith("--config="):
            return item.split("=", 1)[1]
    return None


if __name__ == "__main__":
    sys.exit(main())
