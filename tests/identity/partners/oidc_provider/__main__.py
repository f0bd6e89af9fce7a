"""Serve the test OpenID provider on 127.0.0.1 until terminated.

    python -m tests.identity.partners.oidc_provider CONFIG.json

``CONFIG.json`` (written by ``tests.identity.partners.oidc.OpenIDProvider``)::

    {"client_id": "...", "client_secret": "...", "redirect_uris": ["http://..."],
     "people": {"ada": {"password": "...", "email": "...", "claims": {...},
                        "id_token": {...}}}}

The provider binds a free port first, so its issuer (``http://127.0.0.1:<port>/o``)
is known before Django starts; then it migrates a fresh database in the config's
folder, creates the people and the client (a confidential client using the
authorization code flow with PKCE, RS256 ID tokens, no consent screen), prints
``READY <issuer>`` on stdout and serves, one thread per connection.
"""

import json
import os
import sys
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, message_format: str, *args) -> None:
        pass


def _not_ready(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


def _exit_with_parent(parent: int) -> None:
    """End the provider when the test run that started it is gone, however it ended."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def main(config_path: str) -> None:
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    config = json.loads(Path(config_path).read_text())
    server = make_server(
        "127.0.0.1", 0, _not_ready, server_class=ThreadingServer, handler_class=QuietHandler
    )
    issuer = f"http://127.0.0.1:{server.server_port}/o"
    os.environ["FLEDGE_PARTNER_CONFIG"] = str(Path(config_path).resolve())
    os.environ["FLEDGE_PARTNER_ISSUER"] = issuer
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.identity.partners.oidc_provider.settings"

    # Django starts only now, once the settings can name the provider's own address.
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0, interactive=False)
    for username, person in config["people"].items():
        get_user_model().objects.create_user(
            username=username, password=person["password"], email=person.get("email", "")
        )
    application = get_application_model()
    application.objects.create(
        name="Fledge",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(config["redirect_uris"]),
        algorithm=application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server.set_app(get_wsgi_application())
    print(f"READY {issuer}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
