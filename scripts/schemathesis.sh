# Fuzz the running API against its own OpenAPI document with schemathesis (PyPI), on SQLite
# and on PostgreSQL (sourced by scripts/test after postgres.sh and smtp.sh). Fails on any
# 5xx, any status code, media type, header or body the document does not declare.
#
# The budget is fixed (examples per operation, a fixed seed) so a run takes the same time
# and finds the same cases each time; raise SCHEMATHESIS_EXAMPLES to look harder.

SCHEMATHESIS_VERSION="4.32.5"

fuzz_api() {
    local label="$1" database_url="$2"
    local dir port token
    dir="$(mktemp -d /tmp/pursuit-fuzz.XXXXXX)"
    port="$(pg_free_port)"
    local db_args=()
    [ -n "$database_url" ] && db_args=(--database-url "$database_url")
    # A credential of its own: the operations that revoke tokens or sessions are left out,
    # or the fuzzer would sign itself out half-way.
    token="$(target/debug/pursuit --data-dir "$dir" "${db_args[@]}" token create \
        --email fuzz@example.org --create-user --name fuzz 2>/dev/null | grep '^pst_')"
    target/debug/pursuit --data-dir "$dir" "${db_args[@]}" serve --bind "127.0.0.1:$port" \
        >"$dir/serve.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 100); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
        sleep 0.1
    done
    echo "==> schemathesis on $label (${SCHEMATHESIS_EXAMPLES:-10} examples per operation)"
    schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
        -H "Authorization: Bearer $token" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
        --exclude-path-regex '/tokens|/logout|/sessions' \
        --max-examples "${SCHEMATHESIS_EXAMPLES:-10}" --seed 1 --workers 2 --no-color \
        >"$dir/report.txt" 2>&1 || true
    sed -n '/^=* *SUMMARY/,$p' "$dir/report.txt"
    # What fails the run: a check that failed (a 5xx, an undeclared status, media type,
    # header or body) or a server that died. Schemathesis's own internal errors (a
    # Hypothesis hiccup) are shown above but do not count against Pursuit.
    local status=0
    if grep -q '^=* *FAILURES' "$dir/report.txt"; then status=1; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "the server died during the run"; status=1; fi
    if ! grep -q 'Test cases:' "$dir/report.txt"; then echo "schemathesis did not run"; cat "$dir/report.txt" | tail -30; status=1; fi
    if [ "$status" -ne 0 ]; then
        echo "schemathesis found problems on $label; the failures:"
        sed -n '/^=* *FAILURES/,/^=* *SUMMARY/p' "$dir/report.txt" | head -200
        echo "--- server log (last 40 lines)"; tail -40 "$dir/serve.log"
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
    return "$status"
}

fuzz_start() {
    if ! python3 -c "import schemathesis" >/dev/null 2>&1 \
        || [ "$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))')" != "$SCHEMATHESIS_VERSION" ]; then
        echo "==> installing schemathesis $SCHEMATHESIS_VERSION (PyPI)"
        if [ "$(id -u)" -eq 0 ]; then
            python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "schemathesis==$SCHEMATHESIS_VERSION"
        else
            python3 -m pip install --quiet --disable-pip-version-check --user "schemathesis==$SCHEMATHESIS_VERSION"
        fi
    fi
    cargo build --locked --bin pursuit -q
    fuzz_api SQLite "" || return 1
    "$PG_BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres pursuit_fuzz
    fuzz_api PostgreSQL "postgres://postgres@127.0.0.1:$PG_PORT/pursuit_fuzz" || return 1
}
