"""`manage.py reset_second_factors NAME`: for an admin locked out of their own factors."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.signin.admin_actions import user_second_factors_delete

__all__ = ["Command"]


class Command(BaseCommand):
    help = (
        "Delete a user's authenticator apps, passkeys and recovery codes and end their "
        "sessions; at the next sign-in they set up a new factor. Recorded in the audit log."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        deleted = user_second_factors_delete(user=user, actor="manage.py")
        self.stdout.write(
            f"Reset two-factor sign-in for {username!r} ({deleted} factor records deleted); "
            "they set up a new factor at the next sign-in."
        )
