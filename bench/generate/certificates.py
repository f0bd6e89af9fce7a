"""Certificates: rows (no PDFs) for completed enrolments, ``bench-learner``'s first,
numbered year by year in the order they were issued, with the year's counters."""

import base64
import random
from collections import Counter

from .people import People
from .sizes import Sizes


def create_certificates(
    enrolments: list[dict], *, people: People, sizes: Sizes, rng: random.Random, note: list[str]
) -> int:
    from django.utils import timezone

    from certificates.expiry import expiry_moment
    from certificates.models import Certificate, CertificateSequence, format_number
    from compliance.scheduling import valid_through

    completed = [item for item in enrolments if item["enrollment"].status == "completed"]
    learner_first = sorted(completed, key=lambda item: item["user_id"] != people.learner_id)
    chosen = learner_first[: min(sizes.certificates, len(completed))]
    chosen.sort(key=lambda item: (item["enrollment"].completed_at, item["enrollment"].pk))
    sequences: Counter[int] = Counter()
    certificates = []
    for item in chosen:
        enrollment = item["enrollment"]
        issued = enrollment.completed_at
        year = timezone.localtime(issued).year
        sequences[year] += 1
        first, last = people.names[item["user_id"]]
        months = item["course"].validity_months
        expires = None
        if months:
            # The app's rule: valid through the same day `months` on, to its end.
            expires = expiry_moment(valid_through(timezone.localdate(issued), months))
        certificates.append(
            Certificate(
                enrollment_id=enrollment.pk,
                user_id=item["user_id"],
                course_id=item["course"].page_id,
                number=format_number(year, sequences[year]),
                verification_code=base64.urlsafe_b64encode(rng.randbytes(16)).rstrip(b"=").decode(),
                holder_name=f"{first} {last}",
                course_title=item["course"].title,
                issued_at=issued,
                expires_at=expires,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(year=year, last_number=n) for year, n in sequences.items()]
    )
    note.append(f"{len(certificates):,} rows (no PDFs), numbers up to {dict(sequences)}")
    return len(certificates)
