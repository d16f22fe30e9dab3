#!/usr/bin/env python3
"""A real SMTP server for the Rust tests (app/tests/smtp.rs): aiosmtpd on 127.0.0.1.

    python3 smtp_sink.py PORT OUTDIR [--user USER --password PASSWORD] [--exit-on-stdin-eof]

Each accepted message is written to OUTDIR as NNNN.eml, exactly as received, after three
X-Sink-* header lines with the envelope and the authenticated login (so a test can check
what the client said, not only what it wrote). PORT 0 picks a free port. Prints
"READY <port>" once listening; exits with status 0 on SIGTERM or SIGINT, and with
--exit-on-stdin-eof also when stdin closes (the test process died without cleaning up).

With --user/--password, AUTH PLAIN/LOGIN is offered without TLS and required before MAIL.
"""
import argparse
import asyncio
import logging
import os
import signal
import sys
import warnings

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError as e:  # the Rust test shows stderr and fails
    print(
        f"smtp_sink.py: cannot import aiosmtpd ({e}); "
        "run: pip install -r requirements-test.txt (in the workspace root)",
        file=sys.stderr,
        flush=True,
    )
    sys.exit(3)


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = f"{self.count:04d}.eml"
        login = session.auth_data if session.authenticated else "-"
        head = (
            f"X-Sink-Mail-From: {envelope.mail_from}\r\n"
            f"X-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n"
            f"X-Sink-Auth-Login: {login}\r\n"
        ).encode()
        # Written under a temporary name, then renamed: whoever lists the directory never
        # reads half a file. The 250 below comes after the file is complete.
        tmp = os.path.join(self.outdir, f".{name}.tmp")
        with open(tmp, "wb") as f:
            f.write(head + envelope.original_content)
        os.replace(tmp, os.path.join(self.outdir, name))
        return f"250 2.0.0 Ok: queued as sink-{self.count:04d}"


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        # handled=False: aiosmtpd then answers 535 itself (True would leave the client
        # waiting for a reply nobody sends).
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)

    return authenticate


async def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("port", type=int)
    p.add_argument("outdir")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--exit-on-stdin-eof", action="store_true")
    args = p.parse_args()
    if (args.user is None) != (args.password is None):
        p.error("--user and --password go together")
    os.makedirs(args.outdir, exist_ok=True)

    handler = Sink(args.outdir)
    auth = {}
    if args.user is not None:
        # Plain-text AUTH is the point here (loopback only): silence aiosmtpd's warning about
        # it so a failing test's output shows what matters.
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        auth = dict(
            authenticator=authenticator_for(args.user, args.password),
            auth_required=True,
            # Loopback only; the client under test speaks plain SMTP (TLS mode "none").
            auth_require_tls=False,
        )

    def factory():
        return SMTP(handler, hostname="smtp-sink.test", ident="daiko smtp sink", **auth)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, host="127.0.0.1", port=args.port)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    if args.exit_on_stdin_eof:
        # A killed test cannot send SIGTERM, but its end of our stdin (a pipe) closes with
        # it. Raw reads on the event loop: a thread blocked in sys.stdin would abort the
        # interpreter's shutdown.
        def on_stdin():
            if not os.read(0, 4096):
                loop.remove_reader(0)
                stop.set()

        loop.add_reader(0, on_stdin)

    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
