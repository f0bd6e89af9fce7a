"""Signals the compliance app sends for later apps to react to.

``assignments_created(sender=Assignment, requirement=..., rows=[...])`` (``requirement``
is None when the rows belong to several) is sent inside
the transaction that inserts new cycles in bulk (the sync's first cycles and renewals,
a material change's new cycles), which ``post_save`` never hears of. ``rows`` are the
unsaved-then-inserted instances; an insert that yields to conflicts leaves some without
an id (and one may not have been inserted at all), so a receiver that needs ids reads
them back by (requirement, user, cycle).
"""

from django.dispatch import Signal

assignments_created = Signal()
