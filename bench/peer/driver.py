"""The driver's side of the line protocol (:mod:`bench.peer.worker`): start a worker in
its virtualenv, wait until it is ready, and send it commands one at a time."""

import json
import subprocess

from .. import common


class Worker:
    def __init__(self, system: str, label: str, python: str, env: dict[str, str]):
        self.system = system
        self.label = label
        self.ready: dict = {}
        self.process = subprocess.Popen(  # noqa: S603 - our own worker module
            [python, "-m", "bench.peer.worker", system],
            cwd=common.ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            raise SystemExit(f"The {self.label} worker stopped (exit code {code}); see above.")
        answer = json.loads(line)
        if "error" in answer:
            raise SystemExit(f"The {self.label} worker failed: {answer['error']}")
        return answer

    def wait_ready(self) -> dict:
        self.ready = self._read()
        return self.ready

    def ask(self, **command) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        """Ask the worker to quit; kill it if it does not (only this process)."""
        if self.process.poll() is None:
            try:
                self.ask(op="quit")
                self.process.wait(timeout=30)
            except (OSError, ValueError, SystemExit, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
