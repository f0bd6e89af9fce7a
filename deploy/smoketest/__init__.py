"""The parts of ``deploy/smoke.py`` (``make smoke``): support code, shared plumbing and
the steps, one module per concern."""
