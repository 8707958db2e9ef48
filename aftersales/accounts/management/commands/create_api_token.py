from __future__ import annotations

import argparse
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from aftersales.accounts.models import User
from aftersales.core.api import PARTNER_GROUP, REPAIR_CENTRE_GROUP


class Command(BaseCommand):
    help = (
        "Print the partner API token of a user in the 'partner' group (creating the token "
        "when there is none). Only the token goes to standard output."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("email", help="The partner account's e-mail address (its username).")
        parser.add_argument(
            "--create",
            action="store_true",
            help="Create the account (with no usable password) when it does not exist, and "
            "put it in the 'partner' group.",
        )
        parser.add_argument(
            "--repair-centre",
            action="store_true",
            help="A repair centre's account: also put it in the 'repair_centre' group, which "
            "may grant replacements under a plan for its cases (implies --create's groups).",
        )
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the existing token: the old one stops working at once.",
        )

    @transaction.atomic
    def handle(
        self,
        *args: Any,
        email: str,
        create: bool,
        repair_centre: bool,
        rotate: bool,
        **options: Any,
    ) -> None:
        email = User.objects.normalize_email(email).lower()
        wanted = [PARTNER_GROUP, REPAIR_CENTRE_GROUP] if repair_centre else [PARTNER_GROUP]
        groups = list(Group.objects.filter(name__in=wanted))
        if len(groups) != len(wanted):
            missing = sorted(set(wanted) - {group.name for group in groups})
            raise CommandError(f"The group(s) {missing} do not exist: run migrate first.")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            if not (create or repair_centre):
                raise CommandError(f"No account with the e-mail {email}; use --create.")
            # No password: a partner system authenticates with its token only.
            user = User.objects.create_user(email=email, password=None)
            self.stderr.write(f"Created the account {user.email}.")
        for group in groups:
            if user.groups.filter(pk=group.pk).exists():
                continue
            if not (create or repair_centre):
                raise CommandError(
                    f"{user.email} is not in the {group.name!r} group; use --create to add it."
                )
            user.groups.add(group)
            self.stderr.write(f"Added {user.email} to the {group.name!r} group.")
        if not user.is_active:
            raise CommandError(f"The account {user.email} is inactive.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if created:
            self.stderr.write(f"New token for {user.email}.")
        self.stdout.write(token.key)
