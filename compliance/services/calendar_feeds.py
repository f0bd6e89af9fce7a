"""The learner's private calendar feed: one row per learner, made on first use, and a
fresh token on request. Reading a feed is :mod:`compliance.selectors.calendar_feeds`.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from ..models import CalendarFeed, new_calendar_token


def calendar_feed_for(*, user: AbstractBaseUser) -> CalendarFeed:
    """The learner's feed, created with a fresh token the first time it is asked for."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_regenerate(*, user: AbstractBaseUser) -> CalendarFeed:
    """Give the learner a new feed token: the old link stops working at once."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": new_calendar_token()}
    )
    return feed
