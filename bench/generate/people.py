"""Users and groups: the learners in their groups and teams under a manager,
``bench-admin`` and ``bench-learner``, all with the one hashed password."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

from .. import common
from .sizes import GROUPS, TEAM_SIZE, Sizes

FIRST_NAMES = [
    "Ada",
    "Ben",
    "Chloé",
    "Dev",
    "Elif",
    "Femi",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kiri",
    "Lena",
    "Malik",
    "Nadia",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomasz",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Anya",
    "Bruno",
    "Carmen",
    "Dmitri",
]
LAST_NAMES = [
    "Abara",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lind",
    "Mensah",
    "Novak",
    "Okafor",
    "Patel",
    "Quispe",
    "Rossi",
    "Sato",
    "Tanaka",
    "Úlfsson",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Ahmed",
    "Byrne",
    "Chen",
    "Duarte",
]


@dataclass
class People:
    admin_id: int
    learner_id: int
    group_ids: list[int]
    members: dict[int, list[int]]  # group index → user ids
    names: dict[int, tuple[str, str]]
    managers: int


def create_people(sizes: Sizes, rng: random.Random, today: date) -> People:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import Profile

    user_model = get_user_model()
    password = make_password(common.PASSWORD)  # hashed once, shared by every account
    joined = timezone.make_aware(datetime.combine(today - timedelta(days=800), clock(9)))

    def account(username: str, first_name: str, last_name: str, since=joined, **flags):
        return user_model(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@bench.example.org",
            password=password,
            date_joined=since,
            **flags,
        )

    users = [
        account(common.ADMIN, "Bench", "Admin", is_staff=True, is_superuser=True),
        account(common.LEARNER, "Lena", "Learner"),
    ]
    for number in range(1, sizes.users + 1):
        users.append(
            account(
                f"{common.USER_PREFIX}{number:05d}",
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                joined + timedelta(minutes=number),
            )
        )
    user_model.objects.bulk_create(users, batch_size=2000)
    admin, learner, *learners = users
    groups = Group.objects.bulk_create(
        [Group(name=f"Bench team {number:02d}") for number in range(1, GROUPS + 1)]
    )
    members: dict[int, list[int]] = defaultdict(list)
    memberships = []
    for index, user in enumerate(learners):
        members[index % GROUPS].append(user.pk)
        memberships.append(
            user_model.groups.through(user_id=user.pk, group_id=groups[index % GROUPS].pk)
        )
    user_model.groups.through.objects.bulk_create(memberships, batch_size=5000)

    profiles = []
    manager_count = 0
    for group_index in range(GROUPS):
        ids = members[group_index]
        for start in range(0, len(ids), TEAM_SIZE):
            team = ids[start : start + TEAM_SIZE]
            manager_count += 1
            profiles.append(Profile(user_id=team[0], manager_id=None))
            profiles.extend(Profile(user_id=pk, manager_id=team[0]) for pk in team[1:])
    profiles.append(Profile(user_id=learner.pk, manager_id=members[0][0]))
    Profile.objects.bulk_create(profiles, batch_size=5000)
    return People(
        admin_id=admin.pk,
        learner_id=learner.pk,
        group_ids=[group.pk for group in groups],
        members=dict(members),
        names={user.pk: (user.first_name, user.last_name) for user in users},
        managers=manager_count,
    )
