"""Export datasets: what ``/exports`` offers as CSV and Excel, the core's and the plugins'.

A dataset is a name (its file name and URL), a title, columns and one or more sources of rows.
A source names its model — which is how the download is narrowed to the person's tenancy
(``core.tenancy.tenant_condition`` for the dataset's permission) — a fetcher that reads one
batch of rows after an id under that condition, and a function that turns a row into the
column values. The files are written by ``core.exports`` (``csv_stream``, ``xlsx_stream``) in
batches, so a plugin's dataset streams exactly as the core's do. Plugins register theirs with
the ``register_export_datasets`` hook.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Callable, Iterator, Sequence

from core.settings import ConfigError

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")

Fetch = Callable[[int, int], list]  # (after_id, limit) -> rows ordered by id


def _resolve(value):
    """A function's result; a text (lazy ones too: babel's LazyProxy is callable) as it is."""
    from babel.support import LazyProxy
    if callable(value) and not isinstance(value, (LazyProxy, str)):
        return value()
    return value


@dataclasses.dataclass(frozen=True)
class Source:
    """Rows of one model: ``fetcher(condition)`` gives a ``Fetch`` (the condition is None when
    the person may see every row), ``values(row)`` the row's cells in column order."""

    model: type
    fetcher: Callable[[Any], Fetch]
    values: Callable[[Any], list]


@dataclasses.dataclass(frozen=True)
class ExportDataset:
    """A downloadable dataset. ``title`` and ``columns`` may be lazy texts (or functions giving
    them): they are read in the downloader's language."""

    name: str
    title: Any
    columns: Sequence[Any] | Callable[[], Sequence[Any]]
    sources: tuple[Source, ...]
    permission: str = "export.read"
    plugin: str = "core"

    def title_text(self) -> str:
        return str(_resolve(self.title))

    def column_titles(self) -> list[str]:
        return [str(column) for column in _resolve(self.columns)]

    def value_batches(self, actor) -> Callable[[], Iterator[list[list]]]:
        """A function giving the value batches the actor may export (the conditions are built
        now, in the request's thread; the rows are read later, batch by batch)."""
        from core import exports, tenancy
        parts = [(source.fetcher(tenancy.tenant_condition(source.model, actor, self.permission)), source.values)
                 for source in self.sources]
        return lambda: exports.chained(*parts)


def collect(platform) -> dict[str, ExportDataset]:
    """Every registered dataset by name, the core's first; a bad or repeated name, or a
    permission no role holds, stops the start-up with a message naming the plugin."""
    found: dict[str, ExportDataset] = {}
    known = platform.permissions.known_actions
    for impl in reversed(platform.pm.hook.register_export_datasets.get_hookimpls()):
        for dataset in impl.function(platform) or []:
            where = f"plugin {impl.plugin_name}: export dataset '{getattr(dataset, 'name', dataset)}'"
            if not isinstance(dataset, ExportDataset):
                raise ConfigError(f"{where} is not a core.datasets.ExportDataset")
            if not NAME.match(dataset.name):
                raise ConfigError(f"{where}: a name is lower-case letters, digits, '-' and '_'")
            if dataset.name in found:
                raise ConfigError(f"{where} is registered twice")
            if dataset.permission not in known:
                raise ConfigError(f"{where} needs the permission '{dataset.permission}', which no role holds")
            if not dataset.sources:
                raise ConfigError(f"{where} has no sources")
            found[dataset.name] = dataclasses.replace(dataset, plugin=impl.plugin_name)
    core_first = sorted(found.values(), key=lambda d: d.plugin != "core")
    return {dataset.name: dataset for dataset in core_first}


def core_datasets() -> list[ExportDataset]:
    """The core's own: payments, commitments (sign-on fees and grants), applications, agreements."""
    from core import exports, exports_lifecycle
    from core.i18n import lazy_gettext as _
    from core.models.money import Grant, SignOnFee
    from core.models.payment import PaymentRequest
    datasets = [
        ExportDataset("payments", _("Payments"), exports.payment_columns,
                      (Source(PaymentRequest, exports.payment_fetcher, exports.payment_values),)),
        ExportDataset("commitments", _("Sign-on fees and grants"), exports.commitment_columns,
                      (Source(SignOnFee, exports.fee_fetcher, exports.fee_values),
                       Source(Grant, exports.grant_fetcher, exports.grant_values))),
    ]
    for extra in exports_lifecycle.datasets():
        datasets.append(ExportDataset(extra["name"], extra["title"], extra["columns"],
                                      (Source(extra["model"], extra["fetcher"], extra["values"]),)))
    return datasets


__all__ = ["ExportDataset", "Source", "collect", "core_datasets"]
