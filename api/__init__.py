"""The REST API (``/api/v1/``): personal access tokens, their authentication, scopes
and throttling, problem+json errors, the OpenAPI document, and the resources. A top
layer app: it reads other apps through their selectors and services only."""
