"""The API's resources beyond ``me`` and certificates, one module per area, each with its
own ``urlpatterns`` that :mod:`api.urls` includes."""
