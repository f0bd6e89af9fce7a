"""URLs of the webhook resources, if any (included by :mod:`api.urls`)."""

urlpatterns: list = []
