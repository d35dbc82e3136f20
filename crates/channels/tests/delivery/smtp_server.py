"""A real SMTP server for the delivery tests (Debian's python3-aiosmtpd): STARTTLS or implicit
TLS with the test CA's certificate, AUTH required, each message saved as <n>.eml with a
<n>.json of its envelope. Usage: smtp_server.py DIR PORT CERT KEY USER PASSWORD starttls|tls.
Prints "ready" once it listens; stops when its stdin closes."""
import json
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

out_dir, port, cert, key, user, password, mode = sys.argv[1:8]


class Saver:
    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(out_dir) if f.endswith(".json")])
        with open(os.path.join(out_dir, f"{n}.eml"), "wb") as f:
            f.write(envelope.original_content or envelope.content)
        tmp = os.path.join(out_dir, f"{n}.tmp")
        with open(tmp, "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        os.rename(tmp, os.path.join(out_dir, f"{n}.json"))
        return "250 OK saved"


def check(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == user.encode()
        and auth_data.password == password.encode()
    )
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
common = dict(hostname="127.0.0.1", port=int(port), authenticator=check, auth_required=True)
if mode == "tls":
    # The whole connection is TLS, which aiosmtpd's AUTH check does not see: allow it.
    controller = Controller(Saver(), ssl_context=context, auth_require_tls=False, **common)
else:
    controller = Controller(Saver(), tls_context=context, require_starttls=True, **common)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
