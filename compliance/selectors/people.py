"""Finding people by what an admin types: the search of every compliance listing."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet


def search_people(
    queryset: QuerySet, query: str, prefix: str = "user__", *, groups: bool = False
) -> QuerySet:
    """Rows whose person matches every word of ``query`` in their first or last name,
    email or username ("lena lind" finds Lena Lind) and, with ``groups``, in the name
    of a group they belong to ("lena sales"). A group word is matched through a
    subquery, so a person in several matching groups is still one row."""
    memberships = get_user_model().groups.through.objects
    for word in query.split():
        match = (
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
            | Q(**{f"{prefix}username__icontains": word})
        )
        if groups:
            members = memberships.filter(group__name__icontains=word).values("user_id")
            match |= Q(**{f"{prefix}pk__in": members})
        queryset = queryset.filter(match)
    return queryset
