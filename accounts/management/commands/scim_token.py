"""``manage.py scim_token create --name "Entra ID"`` prints a new provisioning token
(once: only its hash is stored); ``list`` shows the tokens; ``revoke <prefix>`` stops
one. The same as Settings → Provisioning tokens in the admin, for scripts and ops."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import ProvisioningToken
from accounts.services import AccountError, provisioning_token_create, provisioning_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke SCIM provisioning tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it (once).")
        create.add_argument("--name", required=True, help="Which directory will use it.")
        actions.add_parser("list", help="List the tokens (never the tokens themselves).")
        revoke = actions.add_parser("revoke", help="Revoke a token.")
        revoke.add_argument("prefix", help="The token's first characters, as `list` shows.")

    def handle(self, *args, action: str, **options):
        if action == "create":
            try:
                token, secret = provisioning_token_create(name=options["name"])
            except AccountError as error:
                raise CommandError(error.message) from None
            self.stderr.write(f"Created “{token.name}”. Copy it now: it is not shown again.")
            self.stdout.write(secret)
        elif action == "list":
            for token in ProvisioningToken.objects.all():
                state = "revoked" if token.revoked_at else "active"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(f"{token.prefix}…\t{state}\tlast used {used}\t{token.name}")
        else:
            prefix = options["prefix"].rstrip("…")
            matches = list(ProvisioningToken.objects.filter(prefix__startswith=prefix)[:2])
            if len(matches) != 1 or len(prefix) < 8:
                raise CommandError("Give enough of the prefix to name exactly one token.")
            if provisioning_token_revoke(token=matches[0]):
                self.stdout.write(f"Revoked {matches[0]}.")
            else:
                self.stdout.write(f"{matches[0]} was already revoked.")
