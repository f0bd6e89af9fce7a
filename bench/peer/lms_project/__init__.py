"""A minimal Wagtail project around wagtail-lms, as ``wagtail start`` makes one with
its production settings, for the peer benchmark (``python -m bench.peer``). It runs only
in ``bench/.peer-venv``, never in Fledge's process."""
