"""Create a dashboard user with one role: `manage.py create_user NAME --role support`."""

from __future__ import annotations

import getpass
from pathlib import Path

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import ROLE_ADMIN, ROLE_GROUP_NAMES
from ui.command_language import TranslatedCommand

__all__ = ["Command"]


class Command(TranslatedCommand):
    help = (
        "Create a user in the Support, Finance or Admin role. The password is asked for, "
        "or read from the first line of --password-file; it must pass the password validators."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLE_GROUP_NAMES))
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-file", help="read the password from this file (first line) instead"
        )

    def handle(self, *args, username: str, role: str, email: str, password_file, **options):
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            raise CommandError(_("A user named %(name)r already exists.") % {"name": username})
        group = Group.objects.filter(name=ROLE_GROUP_NAMES[role]).first()
        if group is None:
            raise CommandError(
                _("The role groups do not exist yet: run `manage.py migrate` first.")
            )
        password = self._password(password_file)
        candidate = users(username=username, email=email)
        try:
            password_validation.validate_password(password, user=candidate)
        except ValidationError as error:
            raise CommandError(
                _("Password refused: %(reasons)s") % {"reasons": " ".join(error.messages)}
            ) from None
        with transaction.atomic():
            # Admins also get the Django admin, which needs is_staff; their rights come from
            # the Admin group, not from superuser status, so the audit shows a normal user.
            user = users.objects.create_user(
                username=username, email=email, password=password, is_staff=role == "admin"
            )
            user.groups.add(group)
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(name)r with the role %(role)s.")
                % {"name": username, "role": group.name}
            )
        )
        if group.name == ROLE_ADMIN:
            self.stdout.write(_("They can also sign in to the Django admin at /admin/."))

    def _password(self, password_file: str | None) -> str:
        """The password from the file, or typed twice at a prompt."""
        if password_file:
            try:
                lines = Path(password_file).read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(
                    _("Cannot read %(file)s: %(reason)s")
                    % {"file": password_file, "reason": error.strerror}
                ) from None
            if not lines or not lines[0]:
                raise CommandError(_("%(file)s is empty.") % {"file": password_file})
            return lines[0]
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The two passwords differ."))
        return password
