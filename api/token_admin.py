"""The admin's pages for service-account tokens, registered by api.wagtail_hooks."""
