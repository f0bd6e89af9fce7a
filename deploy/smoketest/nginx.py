"""The smoke step that puts deploy/nginx.conf in front of gunicorn (where nginx is
installed)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

from .base import LEARNER, SmokeBase
from .support import (
    ROOT,
    Service,
    SmokeFailure,
    check,
    find_form,
    free_port,
    parse_html,
    run_command,
    wait_for,
)

#: The main configuration around deploy/nginx.conf for the nginx step (in the container,
#: the nginx image's own nginx.conf plays this part).
NGINX_MAIN = """
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    {mime}
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


class NginxStep(SmokeBase):
    """deploy/nginx.conf in front of gunicorn, run by the local nginx."""

    def behind_nginx(self, certificate: dict) -> None:
        """deploy/nginx.conf in front of a gunicorn set up as in docker-compose.yml: static
        files, renditions and private files (X-Accel-Redirect) from disk, the rest
        proxied. Skipped, saying so, where nginx is not installed."""
        binary = shutil.which("nginx") or next(
            (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
        )
        if binary is None:
            if os.environ.get("FLEDGE_REQUIRE_NGINX") == "1":  # .ci/run installs nginx
                raise SmokeFailure("nginx is not installed and FLEDGE_REQUIRE_NGINX=1")
            print("- nginx in front: skipped (nginx is not installed)")
            self.steps.append(("nginx in front: skipped (not installed)", 0.0, ""))
            return
        with self.step("nginx in front (deploy/nginx.conf)") as notes:
            upstream, port = free_port(), free_port()
            env = self.env | {
                "GUNICORN_BIND": f"127.0.0.1:{upstream}",
                "FLEDGE_PRIVATE_MEDIA_ACCEL_PREFIX": "/_protected/",
                "DJANGO_BEHIND_PROXY": "1",
            }
            web = self.gunicorn(env, "gunicorn-behind-nginx")
            prefix = self.tmp / "nginx"
            srv = prefix / "srv"
            srv.mkdir(parents=True)
            for name in ("static", "media", "private-media"):
                (srv / name).symlink_to(self.tmp / name)
            site = (ROOT / "deploy" / "nginx.conf").read_text()
            for old, new in (
                ("server web:8000;", f"server 127.0.0.1:{upstream};"),
                ("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;"),
                ("listen [::]:80 default_server;", ""),
                ("root /srv;", f"root {srv};"),
                ("alias /srv/private-media/;", f"alias {srv}/private-media/;"),
            ):
                check(site.count(old) == 1, f"deploy/nginx.conf no longer has {old!r} once")
                site = site.replace(old, new)
            (prefix / "site.conf").write_text(site)
            mime = Path("/etc/nginx/mime.types")
            (prefix / "nginx.conf").write_text(
                NGINX_MAIN.format(
                    prefix=prefix,
                    user="user root;" if os.geteuid() == 0 else "",
                    mime=f"include {mime};" if mime.exists() else "",
                )
            )
            argv = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
            run_command(
                "nginx -t", [*argv, "-t"], env=self.env, log=self.logs / "nginx-t.log", timeout=30
            )
            nginx = self.start(
                Service("nginx", [*argv, "-g", "daemon off;"], self.env, self.logs / "nginx.log")
            )
            base = f"http://127.0.0.1:{port}"
            session = self.http()
            wait_for(
                "nginx and gunicorn behind it",
                lambda: session.get(f"{base}/health/", timeout=5).status_code == 200,
                timeout=60,
                log=web.log,
                alive=web.assert_running,
            )
            home = session.get(f"{base}/", timeout=30)
            check(home.status_code == 200, f"/ through nginx: {home.status_code}", web.log)
            parsed = parse_html(home.text)
            css = session.get(urljoin(base, parsed.stylesheets[0]), timeout=10)
            check(
                css.ok and "immutable" in css.headers.get("Cache-Control", ""),
                f"nginx static: {css.status_code} {css.headers.get('Cache-Control')}",
            )
            check(css.headers.get("Content-Encoding") == "gzip", "nginx did not serve the .gz")
            images = re.findall(r'src="(/media/images/[^"]+)"', home.text)
            check(images, "the home page shows no image rendition")
            image = session.get(urljoin(base, images[0]), timeout=10)
            check(image.ok, f"{images[0]} through nginx: {image.status_code}")
            check(
                image.headers.get("Content-Security-Policy")
                == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
                and image.headers.get("X-Content-Type-Options") == "nosniff",
                f"renditions lack the sandboxing headers: {dict(image.headers)}",
            )
            originals = sorted((self.tmp / "media" / "original_images").glob("*"))
            check(originals, "no original image on disk")
            for url in (
                f"/media/original_images/{originals[0].name}",
                "/media/documents/anything.pdf",
                f"/_protected/{certificate['pdf']}",
            ):
                response = session.get(urljoin(base, url), timeout=10)
                check(response.status_code == 404, f"{url} through nginx: {response.status_code}")
            page = session.get(f"{base}/accounts/login/", timeout=10)
            form = find_form(page.text, "/accounts/login/", "sign-in")
            data = form.hidden() | {"login": LEARNER, "password": self.password}
            response = session.post(
                urljoin(base, form.action), data=data, timeout=30, allow_redirects=False
            )
            check(response.status_code == 302, f"sign-in through nginx: {response.status_code}")
            pdf = session.get(f"{base}/certificates/{certificate['number']}/download/", timeout=30)
            on_disk = (self.tmp / "private-media" / certificate["pdf"]).read_bytes()
            check(
                pdf.status_code == 200
                and pdf.content == on_disk
                and pdf.headers.get("Content-Type") == "application/pdf"
                and "attachment" in pdf.headers.get("Content-Disposition", "")
                and "X-Accel-Redirect" not in pdf.headers,
                f"the PDF through X-Accel-Redirect: {pdf.status_code} {dict(pdf.headers)}",
                self.logs / "nginx.log",
            )
            big = session.post(
                f"{base}/accounts/login/", data=b"x" * (21 * 1024 * 1024), timeout=60
            )
            check(big.status_code == 413, f"a 21 MiB upload got {big.status_code}, not 413")
            notes.append(
                "hashed static gzip + immutable; renditions sandboxed; originals, documents "
                "and /_protected/ 404; PDF via X-Accel-Redirect; 21 MiB upload 413"
            )
            nginx.stop(timeout=10)
            web.stop()
