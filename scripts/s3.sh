# An S3-compatible server for the storage tests: moto's server mode (PyPI), on 127.0.0.1,
# with the bucket `pursuit-test`. Sourced by scripts/test after scripts/postgres.sh.

s3_start() {
    if ! python3 -c "import moto.server, flask" >/dev/null 2>&1; then
        echo "==> installing moto[s3,server] (PyPI)"
        if [ "$(id -u)" -eq 0 ]; then
            python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'moto[s3,server]'
        else
            python3 -m pip install --quiet --disable-pip-version-check --user 'moto[s3,server]'
        fi
    fi
    S3_DIR="$(mktemp -d /tmp/pursuit-s3.XXXXXX)"
    S3_PORT="$(pg_free_port)"
    python3 -m moto.server -H 127.0.0.1 -p "$S3_PORT" >"$S3_DIR/server.log" 2>&1 &
    S3_PID=$!
    for _ in $(seq 1 100); do
        if python3 -c "import urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:$S3_PORT/pursuit-test', method='PUT'), timeout=1)" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "moto did not start:"; cat "$S3_DIR/server.log"; return 1
}

s3_stop() {
    if [ -n "${S3_PID:-}" ]; then
        kill "$S3_PID" 2>/dev/null || true
        wait "$S3_PID" 2>/dev/null || true
        rm -rf "$S3_DIR"
    fi
}
