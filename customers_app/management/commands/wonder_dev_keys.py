"""Create the development RSA key pair that the embedded sandbox and the dashboard share."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from wonder.signing import generate_key_pair

__all__ = ["Command"]


class Command(BaseCommand):
    help = (
        "Generate var/wonder_dev_private.pem and var/wonder_dev_public.pem if missing. "
        "The private half signs the dashboard's requests; the public half is the sandbox's."
    )

    def handle(self, *args, **options) -> None:
        private_path = Path(settings.VAR_DIR) / "wonder_dev_private.pem"
        public_path = Path(settings.VAR_DIR) / "wonder_dev_public.pem"
        if private_path.exists() and public_path.exists():
            self.stdout.write(f"Development keys already exist in {settings.VAR_DIR}.")
            return
        private_path.parent.mkdir(parents=True, exist_ok=True)
        private_pem, public_pem = generate_key_pair()
        private_path.write_bytes(private_pem)
        private_path.chmod(0o600)
        public_path.write_bytes(public_pem)
        self.stdout.write(
            self.style.SUCCESS(f"Created a development key pair in {settings.VAR_DIR}.")
        )
