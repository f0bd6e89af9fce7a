"""The peer benchmark (``make bench-peer``, ``python -m bench.peer``): Fledge against
wagtail-lms 0.11.1, the closest peer, on the same course in one run.

Two Django projects cannot share a process, so the driver (:mod:`~bench.peer.cli`)
starts one measuring worker per system (:mod:`~bench.peer.worker`): Fledge's in Fledge's
virtualenv under ``bench.run``'s settings, wagtail-lms's in the throwaway
``bench/.peer-venv`` (:mod:`~bench.peer.venv`) in a minimal Wagtail project
(:mod:`bench.peer.lms_project`). Each builds the same course (:mod:`~bench.peer.content`;
:mod:`~bench.peer.fledge_site`, :mod:`~bench.peer.lms_site`), signs an enrolled learner
in and answers "measure this page" commands over stdin/stdout
(:mod:`~bench.peer.driver`, :mod:`~bench.peer.sites`), so the driver alternates the two
systems turn by turn. :mod:`~bench.peer.report` makes the table and the ``"peer"``
section of ``bench/results.json``.

Nothing here is imported by the package itself: the wagtail-lms worker runs in a
virtualenv without Fledge, and imports only the modules it needs.
"""
