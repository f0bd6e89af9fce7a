"""A person's records, gathered from every app (shared/DESIGN.md, "Growing the product").

The top layer: the evidence pack (:mod:`records.evidence`), the download of all of a
person's data and their erasure (:mod:`records.services`) and the retention purge
(:mod:`records.retention`). Each app owns its own part of these and gives it through the
Wagtail hooks named in :mod:`records.hooks`, so this app imports no feature app.
"""
