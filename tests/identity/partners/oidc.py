"""Start, stop and talk to the test OpenID provider (``oidc_provider``).

``OpenIDProvider`` runs the provider in a subprocess on a free port of 127.0.0.1 and
knows its people; ``sign_in_at_provider`` is the person's side of the authorization
step over HTTP (its sign-in form, then the authorize endpoint), for tests that need no
browser.
"""

import json
import os
import re
import select
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parents[3]
#: Seconds the provider may take to migrate its database and start serving.
START_TIMEOUT = 60


@dataclass
class OpenIDProvider:
    """A running test OpenID provider. ``issuer`` is Fledge's ``server_url`` for it."""

    client_id: str
    client_secret: str
    redirect_uris: list[str]
    people: dict[str, dict]
    state_dir: Path
    issuer: str = ""
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def config_path(self) -> Path:
        return self.state_dir / "provider.json"

    def _write_config(self) -> None:
        # Written whole and renamed, so the provider never reads half a file.
        draft = self.config_path.with_suffix(".draft")
        draft.write_text(
            json.dumps(
                {
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "redirect_uris": self.redirect_uris,
                    "people": self.people,
                }
            )
        )
        draft.replace(self.config_path)

    def set_claims(self, username: str, **claims) -> None:
        """Change what the directory says about ``username`` from the next sign-in on
        (the provider reads its people at every request)."""
        self.people[username]["claims"].update(claims)
        self._write_config()

    def set_people(self, people: dict[str, dict]) -> None:
        """Replace everyone the directory knows (from the next sign-in on)."""
        self.people = people
        self._write_config()

    def start(self) -> "OpenIDProvider":
        config = self.config_path
        self._write_config()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.process = subprocess.Popen(  # noqa: S603 - our own module, on 127.0.0.1
            [sys.executable, "-m", "tests.identity.partners.oidc_provider", str(config)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=(self.state_dir / "provider.log").open("wb"),
            text=True,
        )
        self.issuer = self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        assert self.process and self.process.stdout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                line = self.process.stdout.readline()
                if line.startswith("READY "):
                    return line.split()[1]
        self.stop()
        log = (self.state_dir / "provider.log").read_text(errors="replace")
        raise RuntimeError(f"The test OpenID provider did not start:\n{log[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stdout:
            self.process.stdout.close()

    @property
    def login_url(self) -> str:
        return urljoin(self.issuer, "/login/")


def sign_in_at_provider(
    provider: OpenIDProvider, authorize_url: str, *, username: str, password: str
) -> str:
    """Sign in at the provider as ``username`` and follow ``authorize_url`` (where
    Fledge sent the browser); return the callback URL the provider redirects to, with
    its ``code`` and ``state``."""
    with requests.Session() as session:
        form = session.get(provider.login_url, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        signed_in = session.post(
            provider.login_url,
            data={"csrfmiddlewaretoken": token, "username": username, "password": password},
            headers={"Referer": provider.login_url},
            allow_redirects=False,
            timeout=10,
        )
        assert signed_in.status_code == 302, "the provider refused the test person's password"
        answer = session.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, f"the provider did not authorize: {answer.status_code}"
    return answer.headers["Location"]
