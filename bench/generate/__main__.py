"""``python -m bench.generate``: see :mod:`bench.generate`."""

from .cli import main

if __name__ == "__main__":
    main()
