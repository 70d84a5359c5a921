"""A tiny SMTP server on 127.0.0.1, in threads, for the delivery fault tests.

Its `mode` says how it behaves with the next connections:
- "accept": a plain SMTP dialogue; each message received is kept in `received`;
- "hang": accepts the connection and never says a word (a server that holds every sender);
- "refuse": answers 554 after the DATA (a permanent refusal);
- "drop": reads the whole message, then closes the connection before the final OK (the message is kept in
  `received`: the sender cannot know whether it was delivered).
"""

import socket
import socketserver
import threading
from email import message_from_bytes, policy


class _Handler(socketserver.StreamRequestHandler):
    timeout = 10

    def handle(self) -> None:
        server: FakeSMTPServer = self.server.owner
        server.connections += 1
        mode = server.mode
        if mode == "hang":
            server.stopping.wait(30)
            return
        self._say("220 fake.smtp ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self._say("250 fake.smtp")
            elif command.startswith(("MAIL FROM", "RCPT TO", "RSET", "NOOP")):
                self._say("250 OK")
            elif command == "DATA":
                self._say("354 End data with <CR><LF>.<CR><LF>")
                data = self._read_data()
                if mode == "drop":
                    server.received.append(message_from_bytes(data, policy=policy.default))
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if mode == "refuse":
                    self._say("554 Transaction failed: refused by policy")
                    continue
                server.received.append(message_from_bytes(data, policy=policy.default))
                self._say("250 OK: queued")
            elif command == "QUIT":
                self._say("221 Bye")
                return
            else:
                self._say("502 Command not implemented")

    def _read_data(self) -> bytes:
        lines = []
        while True:
            line = self.rfile.readline()
            if not line or line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def _say(self, reply: str) -> None:
        self.wfile.write(reply.encode("ascii") + b"\r\n")
        self.wfile.flush()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeSMTPServer:
    def __init__(self) -> None:
        self.mode = "accept"
        self.connections = 0
        self.received = []
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-smtp", daemon=True)

    def __enter__(self) -> "FakeSMTPServer":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
