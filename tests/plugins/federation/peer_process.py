"""A live peer instance for the federation tests, in its own process with its own database and
settings (from the environment, as any deployment): migrate, load the demo data (which shares
everything), let the harvester 'national' in, print ``READY <key>`` and serve with uvicorn.

    DATABASE_URL=... PARTNERSKAB_PLUGINS=slagelse,federation python -m tests.plugins.federation.peer_process PORT
"""
from __future__ import annotations

import sys

import uvicorn

from core import db, demo
from core import settings as settings_module
from core.app import create_app


def main(port: int) -> None:
    settings = settings_module.load()
    if settings.database_url.startswith("postgresql"):
        fresh = db.open_database(settings.database_url)
        with fresh.connection_context():
            fresh.execute_sql("DROP SCHEMA IF EXISTS public CASCADE")
            fresh.execute_sql("CREATE SCHEMA public")
        fresh.close_all()
    app = create_app(settings)
    platform = app.state.platform
    with db.connection():
        db.migrate(platform.migration_sources)
        demo.load(platform)
        from plugins.federation import keys
        _client, key = keys.create_client(platform, "national", "test-setup")
    print(f"READY {key}", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")


if __name__ == "__main__":
    main(int(sys.argv[1]))
