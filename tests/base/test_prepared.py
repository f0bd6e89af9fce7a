"""Prepared queries (``base.prepared``): compiled once, and each run answers exactly what
the queryset they were built from answers for the same values, in one statement."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Count

import pytest

from base.prepared import Marker, PreparedQuery

pytestmark = pytest.mark.django_db

User = get_user_model()


def by_prefix(prefix, joined_after):
    return (
        User.objects.filter(username__startswith=prefix, pk__gt=joined_after)
        .order_by("username")
        .values_list("username", "is_active", "date_joined")
    )


@pytest.fixture
def people():
    for name in ("50%_off", "50xyoff", "ann", "anna", "bob"):
        User.objects.create_user(name, f"{name.replace('%', 'p')}@example.com")
    User.objects.filter(username="anna").update(is_active=False)


def test_rows_match_the_queryset_for_every_value_with_like_characters_taken_literally(
    people, django_assert_num_queries
):
    prepared = PreparedQuery(by_prefix, prefix=Marker.text(), joined_after=Marker.number())
    first = User.objects.order_by("pk").values_list("pk", flat=True).first()
    for prefix, after in [("an", 0), ("an", first + 2), ("50%_", 0), ("50", 0), ("z", 0)]:
        with django_assert_num_queries(1):
            rows = prepared(prefix=prefix, joined_after=after)
        assert rows == list(by_prefix(prefix, after)), (prefix, after)
    assert [row[0] for row in prepared(prefix="an", joined_after=0)] == ["ann", "anna"]
    # "%" and "_" are not wildcards: only the user whose name begins with them.
    assert [row[0] for row in prepared(prefix="50%_", joined_after=0)] == ["50%_off"]
    # Converted as the ORM converts them (SQLite stores booleans as integers).
    assert prepared(prefix="anna", joined_after=0)[0][1] is False


def test_model_rows_carry_their_related_objects_and_annotations(django_assert_num_queries):
    group = Group.objects.create(name="Prepared test")
    group.permissions.set(Permission.objects.filter(codename__startswith="add_")[:3])

    def build(name):
        return (
            Group.objects.filter(name=name)
            .annotate(granted=Count("permissions"))
            .select_related(None)
            .order_by()
        )

    prepared = PreparedQuery(build, name=Marker.text())
    (found,) = prepared(name="Prepared test")
    assert found == group and found.name == "Prepared test" and found.granted == 3
    assert prepared(name="Nobody") == []

    codenames = PreparedQuery(
        lambda pk: Permission.objects.select_related("content_type").filter(pk=pk),
        pk=Marker.number(),
    )
    permission = Permission.objects.select_related("content_type").order_by("pk").first()
    (read,) = codenames(pk=permission.pk)
    with django_assert_num_queries(0):  # read with it, not afterwards
        assert read.content_type.app_label == permission.content_type.app_label
    assert read._state.adding is False and read._state.db == "default"


def test_values_come_back_as_dicts():
    User.objects.create_user("carol", "carol@example.com")
    prepared = PreparedQuery(
        lambda name: User.objects.filter(username=name).values("username", "email"),
        name=Marker.text(),
    )
    assert prepared(name="carol") == [{"username": "carol", "email": "carol@example.com"}]


def test_a_placeholder_the_statement_does_not_take_is_refused():
    prepared = PreparedQuery(
        lambda name: User.objects.filter(username="fixed").values_list("pk"), name=Marker.text()
    )
    with pytest.raises(ValueError, match="'name' is not a parameter"):
        prepared(name="anything")


def test_flat_rows_are_refused():
    prepared = PreparedQuery(
        lambda name: User.objects.filter(username=name).values_list("pk", flat=True),
        name=Marker.text(),
    )
    with pytest.raises(ValueError, match="not supported"):
        prepared(name="x")


def test_dates_and_uuids_are_filled_as_the_database_takes_them(django_assert_num_queries):
    """A date (text on SQLite) and a UUID (hex on SQLite) placeholder answer like the
    ORM for each value."""
    import datetime
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from wagtail.models import ModelLogEntry

    joined = User.objects.create_user("dora", "dora@example.com")
    User.objects.filter(pk=joined.pk).update(
        date_joined=datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    )

    def joined_by(day):
        return User.objects.filter(date_joined__date__lte=day).values_list("username")

    prepared = PreparedQuery(joined_by, day=Marker.day())
    for day in (datetime.date(2026, 2, 28), datetime.date(2026, 3, 1)):
        assert prepared(day=day) == list(joined_by(day)), day
    assert ("dora",) in prepared(day=datetime.date(2026, 3, 1))
    assert ("dora",) not in prepared(day=datetime.date(2026, 2, 28))

    token = uuid.uuid4()
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        label="dora",
        action="wagtail.edit",
        timestamp=timezone.now(),
        uuid=token,
        object_id=str(joined.pk),
    )
    by_token = PreparedQuery(
        lambda token: ModelLogEntry.objects.filter(uuid=token).values_list("label"),
        token=Marker.uuid(),
    )
    with django_assert_num_queries(1):
        assert by_token(token=token) == [("dora",)]
    assert by_token(token=uuid.uuid4()) == []


def test_none_is_refused_rather_than_matching_nothing(django_assert_num_queries):
    """``username = NULL`` would quietly find no one where the ORM asks ``IS NULL``."""
    prepared = PreparedQuery(
        lambda name: User.objects.filter(username=name).values_list("pk"), name=Marker.text()
    )
    with django_assert_num_queries(0), pytest.raises(ValueError, match="'name' is None"):
        prepared(name=None)


def test_unsupported_rows_are_refused_before_any_statement(django_assert_num_queries):
    prepared = PreparedQuery(
        lambda name: User.objects.filter(username=name).values_list("pk", named=True),
        name=Marker.text(),
    )
    with django_assert_num_queries(0), pytest.raises(ValueError, match="not supported"):
        prepared(name="x")
