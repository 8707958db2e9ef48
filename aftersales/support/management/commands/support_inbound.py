"""Feeds e-mail to the tickets: one message on standard input (a mail server's pipe, e.g.
Postfix `support: "|manage.py support_inbound"`), or every message of a maildir or an mbox
(a mailbox the server polls; read messages are removed from it, so a run again reads none)."""

from __future__ import annotations

import mailbox
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aftersales.support.inbound import Inbound, message_receive


class Command(BaseCommand):
    help = "Append e-mail answers to their support tickets (stdin, --maildir or --mbox)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--maildir", help="A maildir whose new and current messages to read.")
        parser.add_argument("--mbox", help="An mbox file whose messages to read.")
        parser.add_argument(
            "--keep", action="store_true", help="Leave the messages in the mailbox."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["maildir"] and options["mbox"]:
            raise CommandError("Give --maildir or --mbox, not both.")
        path = options["maildir"] or options["mbox"]
        if not path:
            self._report(message_receive(sys.stdin.buffer.read()))
            return
        if not Path(path).exists():
            raise CommandError(f"No mailbox at {path}.")
        box: mailbox.Mailbox = (
            mailbox.Maildir(path, create=False) if options["maildir"] else mailbox.mbox(path)
        )
        box.lock()
        try:
            for key in list(box.keys()):
                self._report(message_receive(box.get_bytes(key)))
                if not options["keep"]:
                    box.remove(key)
            box.flush()
        finally:
            box.unlock()
            box.close()

    def _report(self, inbound: Inbound) -> None:
        how = "appended to" if inbound.matched else "to sort as"
        extra = " (automatic: no reply)" if inbound.automatic else ""
        extra += " (already recorded)" if inbound.duplicate else ""
        self.stdout.write(f"Message {how} {inbound.ticket.number}{extra}")
