# Start and stop a throwaway PostgreSQL cluster for the tests (sourced by scripts/test and
# scripts/bench). Uses the installed server binaries, installing Debian's `postgresql` when
# they are missing. Listens on 127.0.0.1 only, on a free port; data lives in a temp dir.

pg_find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir; return
    fi
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then echo "$dir"; fi
    done | sort -V | tail -n 1
}

pg_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
    PG_BINDIR="$(pg_find_bindir)"
    if [ -z "$PG_BINDIR" ]; then
        echo "==> installing PostgreSQL server binaries (Debian package postgresql)"
        if [ "$(id -u)" -eq 0 ]; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        else
            sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        fi
        PG_BINDIR="$(pg_find_bindir)"
    fi
    PG_VERSION="$("$PG_BINDIR/postgres" --version | awk '{print $3}')"
    PG_RUN=()
    PG_DIR="$(mktemp -d /tmp/pursuit-pg.XXXXXX)"
    PG_PORT="$(pg_free_port)"
    # initdb refuses to run as root: run the server as the `postgres` user then.
    local run=()
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$PG_DIR"
        run=(runuser -u postgres --)
    fi
    PG_RUN=("${run[@]}")
    "${run[@]}" "$PG_BINDIR/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
        --no-sync >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
    # Durability is pointless for a throwaway cluster; speed is not.
    "${run[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
            -c max_connections=300 -c shared_buffers=128MB" \
        start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
    PG_ADMIN_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
}

pg_stop() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
        "${PG_RUN[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
}
