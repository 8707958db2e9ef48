"""Load the demo data (idempotent: run it as often as you like, e.g. on every `make run`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aftersales.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the seeds' catalogue, zones, repair centres, demo devices and plans, demo logins "
        "and the workshop's demo cases (one in every status)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo()
        made = ", ".join(f"{count} {what}" for what, count in summary.created.items() if count)
        self.stdout.write(f"Demo data: created {made}." if made else "Demo data: up to date.")
        if summary.plans:
            self.stdout.write(
                "Plans: " + ", ".join(f"{count} {what}" for what, count in summary.plans.items())
            )
        width = max(len(email) for email, _, _ in summary.logins)
        self.stdout.write("")
        self.stdout.write(f"{'E-mail':<{width}}  {'Password':<20}  Role")
        self.stdout.write(f"{'-' * width}  {'-' * 20}  {'-' * 24}")
        for email, password, role in summary.logins:
            self.stdout.write(f"{email:<{width}}  {password:<20}  {role}")
        if summary.cards:
            self.stdout.write("")
            self.stdout.write(
                "Activation cards (DJI Care Refresh, Mavic 2, France) to try “Activate a plan” "
                "with the Mavic 2 Pro 163CFR0DEMO001 of client@example.com: "
                + ", ".join(summary.cards)
            )
        if summary.cases:
            self.stdout.write("")
            self.stdout.write(
                "Workshop demo cases (staff pages at /workshop/; README: what to try as each "
                "person):"
            )
            for line in summary.cases:
                self.stdout.write(
                    f"{line.case_number}  {line.status:<20}  {line.customer:<20}  "
                    f"{line.product:<27}  {line.try_it}"
                )
        if summary.tickets:
            self.stdout.write("")
            self.stdout.write(
                "Support demo tickets (the inbox at /support/inbox/ as agent@example.com): "
                + ", ".join(summary.tickets)
            )
        if summary.free_serials:
            self.stdout.write("")
            self.stdout.write(
                "Serial numbers in no account yet, to try “Add a product”: "
                + ", ".join(summary.free_serials)
            )
