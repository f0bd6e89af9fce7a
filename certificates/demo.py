"""Demo certificates for ``manage.py load_demo``.

The learner demo completes Running Effective Meetings for ``learner``, and the
``course_completed`` receiver issues its certificate there and then. This loader runs
after it: it names a signatory in the default site's branding when none is set, and
issues that certificate if it is missing (a database whose demo was loaded before the
certificates app existed), through the same service, so running it again changes
nothing. The PDF is rendered once the demo's transaction commits.

Only the learner demo's own completions are swept: the compliance demo records
back-dated completion history on purpose without certificates.
"""

from collections.abc import Callable

from wagtail.models import Site

from home.models import BrandingSettings
from learner.demo import MEETINGS
from learner.models import Enrollment
from lessons.demo.covers import demo_image, draw_signature

from . import services
from .models import Certificate

SIGNATORY_NAME = "Dr Grace Mensah"
SIGNATORY_TITLE = "Head of Learning, Fledge Academy"
#: (username, course slug) of the learner demo's completions.
DEMO_COMPLETIONS = [("learner", MEETINGS)]


def _name_signatory() -> None:
    """Print a signatory (with a drawn signature image) on the default site's
    certificates, unless one is set."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    branding = BrandingSettings.for_site(site)
    if not branding.signatory_name:
        branding.signatory_name = SIGNATORY_NAME
        branding.signatory_title = SIGNATORY_TITLE
        branding.save(update_fields=["signatory_name", "signatory_title"])
    if branding.signature_id is None and branding.signatory_name == SIGNATORY_NAME:
        branding.signature = demo_image(
            title=f"Signature of {SIGNATORY_NAME}",
            filename="demo-signature.png",
            draw=lambda: draw_signature(name="Grace Mensah"),
        )
        branding.save(update_fields=["signature"])


def load(*, log: Callable[[str], None]) -> None:
    """Issue the demo completions' certificates (once) and log one line."""
    _name_signatory()
    for username, slug in DEMO_COMPLETIONS:
        completed = Enrollment.objects.filter(
            user__username=username, course__slug=slug, status=Enrollment.Status.COMPLETED
        )
        for enrollment in completed:
            services.certificate_issue(enrollment=enrollment, as_of=enrollment.completed_at)
    log(f"Certificates: {Certificate.objects.count()} issued")
