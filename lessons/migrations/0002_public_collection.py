"""Create the public collection (settings.FLEDGE_PUBLIC_COLLECTION) under the root.

Documents in it, or in collections below it, download for everyone; every other
document is private to the lessons that link it (see ``learner.documents``).
"""

from django.conf import settings
from django.db import migrations

# The real model, only for treebeard's fix_tree, as Wagtail's own migration
# wagtailcore 0059 does: it touches nothing but the tree fields (path, depth, numchild).
from wagtail.models import Collection as TreeCollection

STEPLEN = 4  # treebeard's MP_Node path step, as Collection uses it
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_step(position: int) -> str:
    """The treebeard path segment for the ``position``-th child (1-based)."""
    digits = ""
    while position:
        position, remainder = divmod(position, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEPLEN, "0")


def create_public_collection(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    name = getattr(settings, "FLEDGE_PUBLIC_COLLECTION", "Public")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    children = Collection.objects.filter(depth=2, path__startswith=root.path)
    if children.filter(name=name).exists():
        return
    last_path = children.order_by("-path").values_list("path", flat=True).first()
    position = int(last_path[-STEPLEN:], len(ALPHABET)) + 1 if last_path else 1
    Collection.objects.create(name=name, path=root.path + path_step(position), depth=2, numchild=0)
    root.numchild = children.count()
    root.save(update_fields=["numchild"])
    if children.filter(name__gt=name).exists():
        # Appended last, but Collection keeps siblings in name order (node_order_by).
        TreeCollection.fix_tree(fix_paths=True, parent=root)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_public_collection, migrations.RunPython.noop),
    ]
