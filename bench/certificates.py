"""Certificate PDF benchmark: ``make bench`` (or ``python -m bench.certificates``).

Measures, in one run on this machine:

- the median milliseconds to render one certificate with the real template
  (:func:`certificates.rendering.render_pdf`: HTML, fonts, QR code, WeasyPrint);
- the same for a minimal one-page WeasyPrint document, as the floor to compare with;
- certificates per second with two worker processes (``multiprocessing``), each
  rendering its share of a batch.

It prints a table and stores its figures under ``"certificates"`` in
``bench/results.json`` (``make bench`` runs the same measures as part of
:mod:`bench.run`). No database is needed: the documents are built in memory.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, date, datetime
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
MINIMAL_HTML = "<!DOCTYPE html><html><body><p>Hello, WeasyPrint.</p></body></html>"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def sample_document(index: int = 0):
    """A realistic certificate: accented name, long-ish title, expiry, signatory."""
    from certificates.rendering import CertificateDocument

    return CertificateDocument(
        holder_name=f"Zoë Ångström-Núñez {index}",
        course_title="Security Awareness Essentials: Phishing, Passwords and Data",
        number=f"FLG-2026-{index + 1:06d}",
        issued_on=date(2026, 11, 22),
        expires_on=date(2027, 11, 22),
        verification_url="https://learn.example.org/certificates/verify/3q2-7wEVR0yZkGx2sPTh1A/",
        site_name="Fledge Academy",
        signatory_name="Dr Grace Mensah",
        signatory_title="Head of Learning",
    )


def render_real(index: int = 0) -> int:
    from certificates.rendering import render_pdf

    return len(render_pdf(sample_document(index)))


def render_minimal() -> int:
    from weasyprint import HTML

    return len(HTML(string=MINIMAL_HTML).write_pdf())


def median_ms(render, runs: int) -> tuple[float, int]:
    """Median wall time of ``runs`` calls after two warm-up calls, and the PDF size."""
    size = 0
    for _ in range(2):
        size = render()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), size


def _worker_init() -> None:
    setup_django()
    render_real()  # warm up: imports, fonts, templates


def _worker_render(index: int) -> int:
    return render_real(index)


def throughput(workers: int, total: int) -> float:
    """PDFs per second rendering ``total`` certificates on ``workers`` processes
    (started and warmed up before the clock starts)."""
    with get_context("spawn").Pool(workers, initializer=_worker_init) as pool:
        pool.map(_worker_render, range(workers))  # every worker is up and warm
        started = time.perf_counter()
        pool.map(_worker_render, range(total), chunksize=1)
        seconds = time.perf_counter() - started
    return total / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="renders per median")
    parser.add_argument("--batch", type=int, default=120, help="PDFs in the parallel batch")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    setup_django()
    import weasyprint

    real_ms, real_size = median_ms(render_real, options.runs)
    minimal_ms, minimal_size = median_ms(render_minimal, options.runs)
    per_second = throughput(options.workers, options.batch)

    results = {
        "measured_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "weasyprint": weasyprint.__version__,
        },
        "runs": options.runs,
        "certificate_median_ms": round(real_ms, 1),
        "certificate_pdf_bytes": real_size,
        "minimal_median_ms": round(minimal_ms, 1),
        "minimal_pdf_bytes": minimal_size,
        "workers": options.workers,
        "batch": options.batch,
        "pdfs_per_second": round(per_second, 2),
    }
    try:
        merged = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        merged = {}
    merged["certificates"] = results
    RESULTS.write_text(json.dumps(merged, indent=2) + "\n")

    rows = [
        ("Certificate (real template), median", f"{real_ms:.1f} ms", f"{real_size:,} B"),
        ("Minimal one-page document, median", f"{minimal_ms:.1f} ms", f"{minimal_size:,} B"),
        (
            f"Certificates with {options.workers} processes",
            f"{per_second:.1f} PDF/s",
            f"{options.batch} PDFs",
        ),
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    machine = results["machine"]
    print(
        f"Certificate PDFs on {machine['cpus']} CPUs, Python {machine['python']}, "
        f"WeasyPrint {machine['weasyprint']} ({options.runs} runs per median)"
    )
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
