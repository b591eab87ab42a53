"""Create a demo admin for the sandbox, printing its random password once."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ui.command_language import TranslatedCommand

__all__ = ["Command"]


class Command(TranslatedCommand):
    help = "In sandbox mode, create the user 'admin' with a random password, printed once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.WONDER_SANDBOX_MODE:
            raise CommandError(
                _(
                    "Refusing to create a demo admin against real Wonder credentials; "
                    "use `python manage.py createsuperuser`."
                )
            )
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            self.stdout.write(
                _(
                    "Log in as '%(name)s' with the password printed when it was created "
                    "(forgot it? python manage.py changepassword %(name)s)."
                )
                % {"name": username}
            )
        else:
            password = secrets.token_urlsafe(12)
            users.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Created demo admin. Log in as '%(name)s' with password: %(password)s\n"
                        "This password is shown only this once."
                    )
                    % {"name": username, "password": password}
                )
            )
        self.stdout.write(self._second_factor_note(username))

    @staticmethod
    def _second_factor_note(username: str) -> str:
        """What comes after the password: admins need a second factor unless told not to."""
        if "admin" not in settings.MFA_REQUIRED_ROLES:
            return _("Two-factor sign-in is not required for admins (MFA_REQUIRED_ROLES).")
        return _(
            "After the password, '%(name)s' is asked to set up two-factor sign-in (admins "
            "are in MFA_REQUIRED_ROLES): scan the QR code with an authenticator app, or type "
            "the key shown under it. Passkeys work at http://localhost:8000 (not 127.0.0.1). "
            "To try the dashboard without it: MFA_REQUIRED_ROLES= make run\n"
            "Lost the authenticator? Reset it: python manage.py reset_second_factors "
            "%(name)s"
        ) % {"name": username}
