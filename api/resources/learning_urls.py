"""URLs of the learning resources (included by :mod:`api.urls`)."""

urlpatterns: list = []
