from __future__ import annotations

import argparse
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from aftersales.accounts.choices import Role
from aftersales.accounts.models import User


class Command(BaseCommand):
    help = "Create a member of staff in a role (or give an existing account that role)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--password",
            help="Only for a new account; without it the account gets no usable password "
            "and the person uses 'Forgot your password?'.",
        )

    @transaction.atomic
    def handle(self, *args: Any, email: str, role: str, password: str | None, **options: Any):
        email = User.objects.normalize_email(email).lower()
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist:
            raise CommandError(f"The group {role!r} does not exist: run migrate first.") from None
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if user is None:
            if password:
                try:
                    validate_password(password, User(email=email))
                except ValidationError as error:
                    raise CommandError(" ".join(error.messages)) from None
            # No password: an unusable one, until the person resets it by e-mail.
            user = User.objects.create_user(email=email, password=password or None)
        elif password:
            self.stderr.write("The account exists: its password is left unchanged.")
        user.is_staff = True
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} staff user {user.email} with the role {Role(role).label}.")
        )
