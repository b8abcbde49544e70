#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite, from Debian's packages.
#
#   bash .ci/postgres.sh start   install PostgreSQL if needed, start a fresh server, create the
#                                role and the database; idempotent (a running server is kept)
#   bash .ci/postgres.sh url     print the postgresql:// URL for TEST_DATABASE_URL
#   bash .ci/postgres.sh peer-url [N]  the URL of a second database, for TEST_PEER_DATABASE_URL
#                                (N=2: a third one, for a second suite running at the same time)
#   bash .ci/postgres.sh stop    stop the server (if it runs)
#
# The server listens on 127.0.0.1 only, on an uncommon port (PARTNERSKAB_PG_PORT, 54329), and on
# a unix socket inside its data directory (.ci/pgdata, git-ignored). Root cannot run postgres,
# so as root the server runs as the unprivileged 'postgres' system user that Debian's package
# creates; any other user runs it as themselves.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PARTNERSKAB_PG_PORT:-54329}"
HOST=127.0.0.1
DB_NAME=partnerskab_test
PEER_DB_NAME=partnerskab_test_peer  # a second instance's database (tests/plugins/federation)
PEER2_DB_NAME=partnerskab_test_peer2  # the same, for the PostgreSQL suite when both suites run at once
DB_USER=partnerskab
DB_PASSWORD=partnerskab-ci-only

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Run a command as the user that owns the server.
as_owner() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The newest Debian server binaries (/usr/lib/postgresql/<version>/bin), or nothing.
find_bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
        echo "$dir"
    fi
}

install_postgres() {
    log "installing PostgreSQL from Debian's packages"
    local sudo=()
    if ! is_root; then
        command -v sudo >/dev/null 2>&1 || die "PostgreSQL is not installed and there is no sudo to install it"
        sudo=(sudo -n)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

bindir() {
    local dir
    dir="$(find_bindir)"
    if [ -z "$dir" ]; then
        install_postgres
        dir="$(find_bindir)"
        [ -n "$dir" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin after installing"
    fi
    echo "$dir"
}

# The data directory: .ci/pgdata, unless the server's user cannot reach it (as root, with a
# checkout in a directory 'postgres' may not enter), then a fixed directory under /tmp.
data_dir() {
    if [ -n "${PARTNERSKAB_PGDATA:-}" ]; then
        echo "$PARTNERSKAB_PGDATA"
    elif ! is_root || runuser -u postgres -- test -x "$ROOT/.ci" 2>/dev/null; then
        echo "$ROOT/.ci/pgdata"
    else
        echo "${TMPDIR:-/tmp}/partnerskab-pgdata-$PORT"
    fi
}

running() {  # usage: running BINDIR DATADIR
    [ -f "$2/PG_VERSION" ] && as_owner "$1/pg_ctl" -D "$2" status >/dev/null 2>&1
}

psql_admin() {  # usage: psql_admin BINDIR DATADIR SQL...
    local bin="$1" data="$2"
    shift 2
    as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$data" -p "$PORT" -U postgres -d postgres "$@"
}

cmd_start() {
    local bin data
    bin="$(bindir)"
    data="$(data_dir)"
    if running "$bin" "$data"; then
        log "already running ($data)"
    else
        log "creating a fresh cluster in $data with $bin"
        if [ -f "$data/postmaster.pid" ]; then
            as_owner "$bin/pg_ctl" -D "$data" stop -m immediate >/dev/null 2>&1 || true
        fi
        rm -rf "$data"
        mkdir -p "$data"
        if is_root; then
            chown postgres: "$data"
        fi
        chmod 700 "$data"
        # The unix socket (in the data directory, which only the server's user can enter) trusts
        # that user; TCP on 127.0.0.1 wants a password.
        local initdb_log
        initdb_log="$(mktemp)"
        as_owner "$bin/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$initdb_log" 2>&1 \
            || { cat "$initdb_log" >&2; rm -f "$initdb_log"; die "initdb failed"; }
        rm -f "$initdb_log"
        as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# .ci/postgres.sh
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$data'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
        as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null \
            || { cat "$data/server.log" >&2 || true; die "the server did not start"; }
    fi
    local tries=0
    until as_owner "$bin/pg_isready" -q -h "$data" -p "$PORT"; do
        tries=$((tries + 1))
        [ "$tries" -lt 120 ] || die "the server does not accept connections"
        sleep 0.5
    done
    psql_admin "$bin" "$data" <<EOF
SELECT 'CREATE ROLE $DB_USER LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') \gexec
ALTER ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME') \gexec
SELECT 'CREATE DATABASE $PEER_DB_NAME OWNER $DB_USER'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PEER_DB_NAME') \gexec
SELECT 'CREATE DATABASE $PEER2_DB_NAME OWNER $DB_USER'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PEER2_DB_NAME') \gexec
EOF
    # Over TCP with the password, as the tests will connect.
    tries=0
    until PGPASSWORD="$DB_PASSWORD" "$bin/psql" -X -q -h "$HOST" -p "$PORT" -U "$DB_USER" -d "$DB_NAME" \
            -c 'SELECT 1' >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -lt 60 ] || die "cannot connect to $DB_NAME as $DB_USER over TCP"
        sleep 0.5
    done
    log "ready: $(cmd_url | sed 's#//[^@]*@#//…@#')"
}

cmd_url() {
    echo "postgresql://$DB_USER:$DB_PASSWORD@$HOST:$PORT/$DB_NAME"
}

cmd_peer_url() {
    if [ "${1:-1}" = 2 ]; then
        echo "postgresql://$DB_USER:$DB_PASSWORD@$HOST:$PORT/$PEER2_DB_NAME"
    else
        echo "postgresql://$DB_USER:$DB_PASSWORD@$HOST:$PORT/$PEER_DB_NAME"
    fi
}

cmd_stop() {
    local bin data
    bin="$(find_bindir)"
    data="$(data_dir)"
    if [ -n "$bin" ] && running "$bin" "$data"; then
        as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
        log "stopped"
    else
        log "not running"
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    url) cmd_url ;;
    peer-url) cmd_peer_url "${2:-1}" ;;
    stop) cmd_stop ;;
    *) echo "usage: $0 start|url|peer-url [2]|stop" >&2; exit 2 ;;
esac
