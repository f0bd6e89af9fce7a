"""Certificates: :mod:`bench.certificates` measured within ``bench.run`` (a real
certificate against a minimal PDF, and PDFs per second with two processes)."""

from .. import certificates
from .results import Table, ms


def bench_certificates(table: Table, runs: int, detail: dict) -> None:
    real_ms, real_size = certificates.median_ms(certificates.render_real, runs)
    minimal_ms, _ = certificates.median_ms(certificates.render_minimal, runs)
    per_second = certificates.throughput(2, max(20, runs * 4))
    table.add(
        "certificates",
        "Certificate PDF (real template), median",
        value=ms(real_ms),
        baseline=f"{ms(minimal_ms)} minimal PDF",
        ratio=f"{real_ms / minimal_ms:.1f}×",
    )
    table.add(
        "certificates",
        "Certificates with 2 processes",
        value=f"{per_second:.1f} PDF/s",
        ratio=f"{1000 / real_ms:.1f} PDF/s in one process",
    )
    detail.update(
        {
            "certificate_median_ms": round(real_ms, 1),
            "certificate_pdf_bytes": real_size,
            "minimal_median_ms": round(minimal_ms, 1),
            "ratio": real_ms / minimal_ms,
            "pdfs_per_second_2_workers": round(per_second, 2),
            "runs": runs,
        }
    )
