"""SCIM 2.0 provisioning (RFC 7643, RFC 7644) at ``/scim/v2/``: identity providers
(Microsoft Entra ID, Okta) create, update, deactivate and delete people and groups.

Built on Django REST framework rather than django-scim2, which was evaluated (0.23.0)
and falls short here:

- it needs ``scim_id``/``scim_external_id`` columns on the user and group models
  (``AbstractSCIMUserMixin``), and Fledge uses Django's own ``auth.User`` and
  ``auth.Group``: a custom user model in a live project is a migration of every table
  that points at users;
- its filters compile to raw SQL and its documentation supports PostgreSQL only, while
  Fledge runs on SQLite by default;
- it has no authentication of its own (a middleware only checks ``request.user``), so
  the bearer tokens would be ours anyway;
- its adapters save models directly, where Fledge's rule is that every change goes
  through services (``accounts.services``), so deactivation signs people out and
  closes their required training.

What it does handle (Entra's capitalised ``op``) is a few lines here. DRF gives the
rest: token authentication (:mod:`.auth`), content negotiation and parsing
(:mod:`.http`), CSRF exemption, and one place for errors (:mod:`.errors`).

Layout: :mod:`.views` parse and call one service; :mod:`.users` and :mod:`.groups`
turn resources into service arguments and back; :mod:`.patch` reads PATCH operations
the way Entra ID and Okta send them; :mod:`.filters` the ``filter`` and paging
parameters; :mod:`.schemas` the discovery documents.
"""
