# Start and stop a real IMAP server for the tests (sourced by scripts/test): Dovecot from
# Debian (dovecot-imapd), listening on 127.0.0.1 on a free port with plain logins. Any user
# name logs in with the password `imap-pass` and gets a maildir of its own, so each test
# reads and writes a mailbox no other test sees. Tests put replies into a mailbox with
# IMAP APPEND, as a delivery would.

imap_start() {
    if ! command -v dovecot >/dev/null 2>&1; then
        echo "==> installing dovecot-imapd (Debian)"
        local sudo_if_needed=""
        [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
        $sudo_if_needed apt-get install -y -q dovecot-imapd >/dev/null 2>&1 \
            || { $sudo_if_needed apt-get update -q >/dev/null && $sudo_if_needed apt-get install -y -q dovecot-imapd >/dev/null; }
    fi
    IMAP_DIR="$(mktemp -d /tmp/pursuit-imap.XXXXXX)"
    chmod 755 "$IMAP_DIR"
    IMAP_PORT="$(pg_free_port)"
    local mail_user internal_user login_user
    if [ "$(id -u)" -eq 0 ]; then
        # Dovecot does not keep mail as root; its own users run its processes.
        mail_user=nobody internal_user=dovecot login_user=dovenull
    else
        mail_user="$(id -un)" internal_user="$(id -un)" login_user="$(id -un)"
    fi
    mkdir -p "$IMAP_DIR/run" "$IMAP_DIR/home"
    chown "$mail_user" "$IMAP_DIR/home"
    cat >"$IMAP_DIR/dovecot.conf" <<CONF
base_dir = $IMAP_DIR/run
state_dir = $IMAP_DIR/run
log_path = $IMAP_DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# A refused login answers at once (tests try wrong passwords on purpose).
auth_failure_delay = 0
default_internal_user = $internal_user
default_login_user = $login_user
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = static
  args = password=imap-pass
}
userdb {
  driver = static
  args = uid=$(id -u "$mail_user") gid=$(id -g "$mail_user") home=$IMAP_DIR/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
  # No growing delay after refused logins (tests try wrong passwords on purpose).
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  chroot =
}
protocol imap {
  imap_idle_notify_interval = 1 secs
}
CONF
    dovecot -c "$IMAP_DIR/dovecot.conf" || { cat "$IMAP_DIR/dovecot.log" 2>/dev/null; return 1; }
    for _ in $(seq 1 100); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $IMAP_PORT), 1)" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "dovecot did not start:"; cat "$IMAP_DIR/dovecot.log"; return 1
}

imap_stop() {
    if [ -n "${IMAP_DIR:-}" ]; then
        dovecot -c "$IMAP_DIR/dovecot.conf" stop 2>/dev/null || true
        sleep 0.2
        rm -rf "$IMAP_DIR"
    fi
}
