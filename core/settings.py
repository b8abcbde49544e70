"""One settings object from a TOML file plus the environment.

Every option is declared once, here, with its type, default and a one-line description
(CKAN's config declaration, Starlette's ``Config``). ``config/default.toml`` repeats the
declarations for people to read and a test keeps the two in step. Environment variables
override the file: ``PARTNERSKAB_<OPTION>`` for every option, plus the conventional
``DATABASE_URL``, ``SECRET_KEY`` and ``PORT``.
"""
from __future__ import annotations

import dataclasses
import os
import secrets
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORE_DIR = ROOT / "core"
CONFIG_DIR = ROOT / "config"
DEFAULT_CONFIG = CONFIG_DIR / "default.toml"


class ConfigError(Exception):
    """A configuration problem, worded for the operator who has to fix it."""


@dataclasses.dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    description: str
    env: tuple[str, ...] = ()
    env_only: bool = False  # a secret: a file may only leave it empty

    @property
    def env_names(self) -> tuple[str, ...]:
        return (f"PARTNERSKAB_{self.name.upper()}", *self.env)


OPTIONS: tuple[Option, ...] = (
    Option("database_url", str, "sqlite:///{instance}/partnerskab.sqlite3",
           "Database URL: sqlite:///path or postgresql://user:pass@host/db", ("DATABASE_URL",)),
    Option("secret_key", str, "",
           "Key that signs cookies and tokens; empty means generate one into the instance folder (demo only)",
           ("SECRET_KEY",)),
    Option("instance_dir", str, "instance",
           "Folder for the SQLite file, the generated secret and other local state (relative to the project)"),
    # The core names no plugin: a file that lists none enables none. The demo's list lives in
    # config/default.toml alone (the one option whose value there is the file's own).
    Option("plugins", list, [], "Enabled plugins, in order; installed plugins stay inactive until listed here"),
    Option("programme_types", list, [],
           "TOML files declaring programme types and their seed data, relative to this file (globs allowed)"),
    Option("theme", str, "default", "Theme folder under themes/ that gives the deployment its look"),
    Option("site_name", str, "Partnerskab", "Name shown in the header and the page titles"),
    Option("default_locale", str, "da", "Language used when the visitor has not chosen one"),
    Option("locales", list, ["da", "en"], "Languages offered in the language switch"),
    Option("demo", bool, True, "Demo deployment: allows demo data and a generated secret"),
    Option("host", str, "127.0.0.1", "Address the web server listens on"),
    Option("port", int, 8000, "Port the web server listens on", ("PORT",)),
    Option("workers", int, 1, "Number of web server worker processes"),
    Option("page_size", int, 20, "Rows per page in lists such as the organisation directory"),
    Option("log_level", str, "info", "Log level: debug, info, warning or error"),
    Option("session_idle_minutes", int, 30, "A login ends after this many minutes without a request"),
    Option("session_max_hours", int, 12, "A login ends this many hours after it began, however active"),
    Option("login_window_minutes", int, 15, "Window in which failed logins are counted for throttling"),
    Option("login_max_failures", int, 5,
           "Failed logins for one account within the window before further tries get 429"),
    Option("login_max_failures_per_address", int, 20,
           "Failed logins from one client address within the window before it gets 429 (offices share one)"),
    Option("trusted_proxies", list, [],
           "Addresses of reverse proxies whose X-Forwarded-For header names the real client"),
    Option("require_two_factor_roles", list, [],
           "Roles whose holders must set up two-factor authentication before they can do anything else"),
    Option("base_url", str, "",
           "Public address of the site for links in mails, e.g. https://partnerskab.example.dk "
           "(empty, demo only: http://host:port of this server)"),
    Option("smtp_host", str, "", "SMTP server for outgoing mail; empty keeps mail in the outbox (demo)"),
    Option("smtp_port", int, 587, "SMTP server port"),
    Option("smtp_user", str, "", "SMTP user name; empty sends without logging in"),
    Option("smtp_password", str, "", "SMTP password: only from the environment (PARTNERSKAB_SMTP_PASSWORD)",
           env_only=True),
    Option("smtp_from", str, "Partnerskab <noreply@partnerskab.invalid>", "Sender address of outgoing mail"),
    Option("smtp_starttls", bool, True, "Encrypt the SMTP connection with STARTTLS before logging in"),
    Option("jobs_in_server", bool, True,
           "The web server runs due scheduled jobs itself (off: run 'partnerskab jobs run' from cron instead)"),
    Option("jobs_poll_seconds", int, 60, "How often the web server looks for due scheduled jobs, in seconds"),
    Option("log_format", str, "text", "Log lines as 'text' for people or 'json' (one object a line, with request ids)"),
    Option("metrics_token", str, "",
           "Bearer token for /metrics: only from the environment (PARTNERSKAB_METRICS_TOKEN); empty: addresses only",
           env_only=True),
    Option("metrics_addresses", list, ["127.0.0.1", "::1"],
           "Client addresses that may read /metrics without the token (the Prometheus server's)"),
    Option("templates_auto_reload", bool, False,
           "Look for edited templates on every page (while editing them); off, each is read once per process"),
)
OPTIONS_BY_NAME = {option.name: option for option in OPTIONS}


@dataclasses.dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    instance_dir: Path
    plugins: tuple[str, ...]
    programme_types: tuple[str, ...]
    theme: str
    site_name: str
    default_locale: str
    locales: tuple[str, ...]
    demo: bool
    host: str
    port: int
    workers: int
    page_size: int
    log_level: str
    session_idle_minutes: int
    session_max_hours: int
    login_window_minutes: int
    login_max_failures: int
    login_max_failures_per_address: int
    trusted_proxies: tuple[str, ...]
    require_two_factor_roles: tuple[str, ...]
    base_url: str
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_from: str
    smtp_starttls: bool
    jobs_in_server: bool
    jobs_poll_seconds: int
    log_format: str = "text"
    metrics_token: str = ""
    metrics_addresses: tuple[str, ...] = ("127.0.0.1", "::1")
    templates_auto_reload: bool = False
    source: Path | None = None

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)


def _coerce(option: Option, value: Any, origin: str) -> Any:
    """Turn a TOML or environment value into the option's type, or say why not."""
    if option.type is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "on"}:
            return True
        if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "off"}:
            return False
    elif option.type is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdecimal():
            return int(value)
    elif option.type is list:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
    elif option.type is str:
        if isinstance(value, str):
            return value
    raise ConfigError(
        f"{origin}: option '{option.name}' must be {option.type.__name__}, not {value!r}")


def read_file(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"configuration file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(OPTIONS_BY_NAME))
    if unknown:
        raise ConfigError(
            f"{path.name}: unknown option(s) {', '.join(unknown)}; "
            f"known options are {', '.join(OPTIONS_BY_NAME)}")
    return data


def load(path: str | Path | None = None, environ: dict[str, str] | None = None,
         **overrides: Any) -> Settings:
    """Read the configuration file (``PARTNERSKAB_CONFIG`` or the default) and the environment."""
    environ = os.environ if environ is None else environ
    path = Path(path or environ.get("PARTNERSKAB_CONFIG") or DEFAULT_CONFIG)
    if not path.is_absolute() and not path.exists():
        path = ROOT / path
    data = read_file(path)
    values: dict[str, Any] = {}
    for option in OPTIONS:
        value = option.default if option.type is not list else tuple(option.default)
        if option.name in data:
            value = _coerce(option, data[option.name], path.name)
            if option.env_only and value:
                raise ConfigError(f"{path.name}: '{option.name}' is a secret and must not be in a file: "
                                  f"set the environment variable {option.env_names[0]} instead")
        for env_name in option.env_names:
            if env_name in environ and environ[env_name] != "":
                value = _coerce(option, environ[env_name], f"environment {env_name}")
                break
        if option.name in overrides:
            value = overrides[option.name]
        values[option.name] = value

    instance = Path(values["instance_dir"])
    if not instance.is_absolute():
        instance = ROOT / instance
    values["instance_dir"] = instance
    values["database_url"] = values["database_url"].replace("{instance}", str(instance))
    if values["default_locale"] not in values["locales"]:
        raise ConfigError(
            f"default_locale '{values['default_locale']}' is not among locales {list(values['locales'])}")
    if not values["secret_key"]:
        if not values["demo"]:
            raise ConfigError(
                "secret_key is not set: set the SECRET_KEY environment variable "
                "(only a demo deployment generates its own)")
        values["secret_key"] = _instance_secret(instance)
    if not values["demo"] and not values["base_url"]:
        raise ConfigError(
            "base_url is not set: links in mails (invitations, password resets) need the site's own "
            "address, e.g. https://partnerskab.example.dk (set it in the file or PARTNERSKAB_BASE_URL)")
    if not values["base_url"]:
        values["base_url"] = local_base_url(values["host"], values["port"])
    if not values["base_url"].startswith(("https://", "http://")):
        raise ConfigError(f"base_url must start with https:// or http://, not {values['base_url']!r}")
    if values["jobs_poll_seconds"] < 1:
        raise ConfigError(f"jobs_poll_seconds must be 1 or more, not {values['jobs_poll_seconds']}")
    if values["log_format"] not in ("text", "json"):
        raise ConfigError(f"log_format must be 'text' or 'json', not {values['log_format']!r}")
    from core.models.account import ROLES
    unknown_roles = [role for role in values["require_two_factor_roles"] if role not in ROLES]
    if unknown_roles:
        raise ConfigError(f"require_two_factor_roles names unknown role(s) {', '.join(unknown_roles)}; "
                          f"roles are {', '.join(ROLES)}")
    return Settings(source=path, **values)


def local_base_url(host: str, port: int) -> str:
    """A demo's own address, from where it listens: links in mails never come from a request's
    Host header, which whoever sends the request chooses (issue 7, item 4)."""
    host = host.strip() or "127.0.0.1"
    if host in ("0.0.0.0", "::"):  # every interface: the machine itself is one of them
        host = "127.0.0.1" if host == "0.0.0.0" else "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _instance_secret(instance: Path) -> str:
    """The demo deployment's own secret, made once and kept out of git in the instance folder."""
    instance.mkdir(parents=True, exist_ok=True)
    secret_file = instance / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(48))
        secret_file.chmod(0o600)
    return secret_file.read_text().strip()
