"""A TCP proxy the test controls, to cut or hang the connection to a real server.

The suite reaches Redis and PostgreSQL through a :class:`TcpProxy` on 127.0.0.1, so an
outage is a switch in the test rather than an assumption:

- ``proxy.up()``: bytes flow both ways (the default);
- ``proxy.down()``: every open connection is reset and new ones are refused, as when
  the server stops or its host goes away;
- ``proxy.hang()``: connections stay open (new ones are accepted) but nothing is
  forwarded either way, as when the server is stopped with SIGSTOP or a firewall
  drops packets; a client without a read timeout waits for ever.

It is plain sockets and one thread per direction of each connection: enough for the
few connections a test opens, and nothing to install.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator

UP, DOWN, HANG = "up", "down", "hang"


class TcpProxy:
    """Forward ``127.0.0.1:<port>`` to ``upstream`` (host, port) until :meth:`close`."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.state = UP
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name="tcp-proxy")
        self._thread.start()

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    # --- The switches ------------------------------------------------------------

    def up(self) -> None:
        self.state = UP

    def down(self) -> None:
        """Reset every open connection and refuse new ones."""
        self.state = DOWN
        with self._lock:
            connections, self._connections = self._connections, set()
        for sock in connections:
            _reset(sock)

    def hang(self) -> None:
        """Keep connections open but forward nothing, either way."""
        self.state = HANG

    @contextlib.contextmanager
    def outage(self, state: str = DOWN) -> Iterator[TcpProxy]:
        """``with proxy.outage():`` the server is down (or ``HANG``) inside the block."""
        self.down() if state == DOWN else self.hang()
        try:
            yield self
        finally:
            self.up()

    def close(self) -> None:
        self._closed.set()
        self.down()
        self._listener.close()
        self._thread.join(timeout=2)

    # --- Plumbing ----------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.state == DOWN:
                _reset(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=2)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._connections.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(
                    target=self._pump, args=(source, target), daemon=True, name="tcp-proxy-pump"
                ).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while not self._closed.is_set():
                readable, _, _ = select.select([source], [], [], 0.05)
                if not readable:
                    continue
                if self.state == HANG:
                    continue  # leave the bytes unread: the other side waits
                data = source.recv(65536)
                if not data:
                    break
                if self.state != UP:
                    break
                target.sendall(data)
        except (OSError, ValueError):  # ValueError: select() on a socket down() closed
            pass
        finally:
            for sock in (source, target):
                with self._lock:
                    self._connections.discard(sock)
                _close(sock)


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a dead server's host answers."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    _close(sock)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()
