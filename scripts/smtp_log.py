"""A real SMTP server (aiosmtpd) for `pursuit-bench reminders`: accepts every message on
127.0.0.1:PORT and appends one line per message to LOG: the time it was accepted (Unix
seconds), the recipients, and the Subject header, so the benchmark can count late and
duplicated mail. Usage: python3 scripts/smtp_log.py PORT LOG"""

import sys
import threading
import time

from aiosmtpd.controller import Controller


class Log:
    def __init__(self, path):
        self.out = open(path, "a", encoding="utf-8")
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        subject = ""
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if not line.strip():
                break
            if line.lower().startswith("subject:"):
                subject = line[len("subject:"):].strip()
        with self.lock:
            self.out.write(f"{time.time():.6f}\t{','.join(envelope.rcpt_tos)}\t{subject}\n")
            self.out.flush()
        return "250 OK"


if __name__ == "__main__":
    controller = Controller(Log(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()
