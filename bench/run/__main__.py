"""``python -m bench.run``: see :mod:`bench.run`."""

from .cli import main

if __name__ == "__main__":
    main()
