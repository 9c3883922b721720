# Start and stop a real SMTP server for the tests (sourced by scripts/test): aiosmtpd from
# PyPI, listening on 127.0.0.1 on a free port, storing every message it receives in a
# maildir in a temp dir, where tests read what the server really got.

# Installs a PyPI package for the tests unless python3 already has it.
py_install() {
    if ! python3 -c "import $1" >/dev/null 2>&1; then
        echo "==> installing $1 (PyPI)"
        if [ "$(id -u)" -eq 0 ]; then
            python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "$1"
        else
            python3 -m pip install --quiet --disable-pip-version-check --user "$1"
        fi
    fi
}

smtp_start() {
    py_install aiosmtpd
    SMTP_DIR="$(mktemp -d /tmp/pursuit-smtp.XXXXXX)"
    SMTP_PORT="$(pg_free_port)"
    python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$SMTP_DIR/maildir" \
        >"$SMTP_DIR/server.log" 2>&1 &
    SMTP_PID=$!
    for _ in $(seq 1 100); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "aiosmtpd did not start:"; cat "$SMTP_DIR/server.log"; return 1
}

# A second server that requires a login (scripts/smtp_auth.py), for mailbox tests.
smtp_auth_start() {
    SMTP_AUTH_PORT="$(pg_free_port)"
    python3 scripts/smtp_auth.py "$SMTP_AUTH_PORT" "$SMTP_DIR/auth-maildir" >"$SMTP_DIR/auth.log" 2>&1 &
    SMTP_AUTH_PID=$!
    for _ in $(seq 1 100); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_AUTH_PORT), 1)" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "the SMTP server with a login did not start:"; cat "$SMTP_DIR/auth.log"; return 1
}

smtp_stop() {
    if [ -n "${SMTP_AUTH_PID:-}" ]; then
        kill "$SMTP_AUTH_PID" 2>/dev/null || true
        wait "$SMTP_AUTH_PID" 2>/dev/null || true
    fi
    if [ -n "${SMTP_PID:-}" ]; then
        kill "$SMTP_PID" 2>/dev/null || true
        wait "$SMTP_PID" 2>/dev/null || true
        rm -rf "$SMTP_DIR"
    fi
}
