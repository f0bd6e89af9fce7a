"""The home page and the site-wide branding settings."""

from django.core.validators import RegexValidator
from django.db import models

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Site
from wagtail.search import index

from modelcluster.fields import ParentalKey

from base.cache import DEFAULT_TIMEOUT, cached_content
from base.pages import CachedRestrictionsMixin

hex_colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "Enter a colour as # and six hexadecimal digits, e.g. #1d4ed8."
)


class HomePage(CachedRestrictionsMixin, Page):
    """The site's front page: a hero and a few featured courses.

    When no course is featured by hand, the newest published courses are shown.
    """

    hero_title = models.CharField(max_length=120, default="Learn what matters, when it matters")
    hero_text = RichTextField(blank=True, features=["bold", "italic", "link"])
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_cta_text = models.CharField("Button text", max_length=60, default="Browse courses")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_text"),
            ],
            heading="Hero",
        ),
        InlinePanel("featured_courses", label="Featured courses", max_num=6),
    ]
    search_fields = [*Page.search_fields, index.SearchField("hero_text")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalog.CatalogPage"]
    max_count = 1

    #: How many courses the home page shows. The courses and the link to the catalog
    #: come from the catalog's template tags (``home_featured_courses``,
    #: ``site_catalog``): the home app sits below the catalog and imports none of it.
    featured_limit = 6


class HomePageFeaturedCourse(Orderable):
    """A course chosen by an editor to appear on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_courses")
    course = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("course", page_type="catalog.CoursePage")]


@register_setting(icon="palette")
class BrandingSettings(BaseSiteSetting):
    """Site-wide branding: name, logo, accent colour and footer, used on every page,
    and on certificates with the signatory's name, title and signature."""

    @classmethod
    def for_request(cls, request):
        # base.routing imports wagtail.views, which needs the app registry ready.
        from base.routing import site_for_request

        site_for_request(request)  # the cached Site, where Wagtail's lookup finds it
        return super().for_request(request)

    @classmethod
    def for_site(cls, site):
        """The site's branding: read with the Site when the routing read it (it is in
        ``base.routing.SITE_RELATED``), else from the content cache. Every page shows
        it, and saving it bumps the content version (``home.receivers``)."""
        if site is not None and Site.brandingsettings.is_cached(site):
            try:
                return site.brandingsettings
            except cls.DoesNotExist:  # none yet: made below, as Wagtail does
                pass
        return cached_content(
            ("branding", site.pk if site else None),
            DEFAULT_TIMEOUT,
            lambda: super(BrandingSettings, cls).for_site(site),
        )

    site_name = models.CharField(max_length=80, default="Fledge")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accent_colour = models.CharField(
        max_length=7,
        default="#1d4ed8",
        validators=[hex_colour_validator],
        help_text="Used for buttons and links. Keep it dark enough for white text on it.",
    )
    footer_text = RichTextField(blank=True, features=["bold", "italic", "link"])
    signatory_name = models.CharField(
        max_length=120, blank=True, help_text="Printed under the signature on certificates."
    )
    signatory_title = models.CharField(
        max_length=120, blank=True, help_text="e.g. Head of Learning. Printed under the name."
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An image of the signature, ideally on a transparent background.",
    )

    panels = [
        FieldPanel("site_name"),
        FieldPanel("logo"),
        FieldPanel("accent_colour"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [FieldPanel("signatory_name"), FieldPanel("signatory_title"), FieldPanel("signature")],
            heading="Certificates",
        ),
    ]

    class Meta:
        verbose_name = "Branding"
