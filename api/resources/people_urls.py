"""URLs of the people resources (included by :mod:`api.urls`)."""

urlpatterns: list = []
