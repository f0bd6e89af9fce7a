"""URLs of the compliance resources (included by :mod:`api.urls`)."""

urlpatterns: list = []
