"""An SMTP server for the tests that requires a login (aiosmtpd): user `pursuit`, password
`right-horse`, AUTH allowed without TLS (127.0.0.1 only). Messages go to the maildir given.

    python3 scripts/smtp_auth.py PORT MAILDIR
"""
import mailbox
import signal
import sys
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"pursuit"
        and auth_data.password == b"right-horse"
    )
    return AuthResult(success=ok, handled=False)


def main():
    port, maildir = int(sys.argv[1]), sys.argv[2]
    warnings.filterwarnings("ignore")  # AUTH without TLS: on purpose, 127.0.0.1 only
    mailbox.Maildir(maildir, create=True)
    controller = Controller(
        Mailbox(maildir),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    main()
