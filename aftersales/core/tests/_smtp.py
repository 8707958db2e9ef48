"""A small SMTP server on 127.0.0.1 for tests that run a real worker process: it keeps what it
accepted, and can hang at a chosen point of a chosen delivery, so that the test can kill the
worker there.

Per recipient, a list of what to do with each successive delivery:
- "accept": answer 250 to the data (the message is delivered), then goodbye;
- "hang_before_accepting": take the data, never answer (as a server that dies before it has
  taken the message: nothing is delivered);
- "hang_after_accepting": answer 250 (the message is delivered), then never answer the QUIT.
A delivery not planned is accepted. Each hang is announced on `hangs` with the recipient.
"""

from __future__ import annotations

import email
import email.policy
import queue
import socket
import threading
from email.message import EmailMessage

ACCEPT = "accept"
HANG_BEFORE_ACCEPTING = "hang_before_accepting"
HANG_AFTER_ACCEPTING = "hang_after_accepting"


class SmtpCapture:
    def __init__(self, plans: dict[str, list[str]] | None = None) -> None:
        self.plans = {address: list(steps) for address, steps in (plans or {}).items()}
        self.delivered: list[EmailMessage] = []
        self.hangs: queue.Queue[str] = queue.Queue()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._closed = threading.Event()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def close(self) -> None:
        self._closed.set()
        self._listener.close()

    def delivered_to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.delivered if address in str(m["To"])]

    def _next_step(self, recipients: list[str]) -> tuple[str, str]:
        with self._lock:
            for address in recipients:
                if self.plans.get(address):
                    return address, self.plans[address].pop(0)
        return (recipients[0] if recipients else ""), ACCEPT

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    @staticmethod
    def _hang(conn: socket.socket) -> None:
        # Until the client goes away (a killed process's sockets are closed by the kernel).
        try:
            while conn.recv(4096):
                pass
        except OSError:
            pass

    def _session(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as reader:
            conn.sendall(b"220 localhost test SMTP\r\n")
            recipients: list[str] = []
            hang_at_quit = ""
            while True:
                line = reader.readline()
                if not line:
                    return
                verb = line[:4].upper()
                if verb == b"EHLO":
                    conn.sendall(b"250-localhost\r\n250 8BITMIME\r\n")
                elif verb == b"MAIL":
                    recipients = []
                    conn.sendall(b"250 OK\r\n")
                elif verb == b"RCPT":
                    address = line.decode().split(":", 1)[1].strip().strip("<>")
                    recipients.append(address.split(">")[0])
                    conn.sendall(b"250 OK\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    data = bytearray()
                    while True:
                        data_line = reader.readline()
                        if not data_line:
                            return
                        if data_line == b".\r\n":
                            break
                        data += data_line[1:] if data_line.startswith(b"..") else data_line
                    address, step = self._next_step(recipients)
                    if step == HANG_BEFORE_ACCEPTING:
                        self.hangs.put(address)
                        self._hang(conn)
                        return
                    message = email.message_from_bytes(bytes(data), policy=email.policy.default)
                    with self._lock:
                        self.delivered.append(message)  # type: ignore[arg-type]
                    conn.sendall(b"250 OK queued\r\n")
                    if step == HANG_AFTER_ACCEPTING:
                        hang_at_quit = address
                elif verb == b"QUIT":
                    if hang_at_quit:
                        self.hangs.put(hang_at_quit)
                        self._hang(conn)
                        return
                    conn.sendall(b"221 Bye\r\n")
                    return
                else:  # HELO, RSET, NOOP
                    conn.sendall(b"250 OK\r\n")
