"""The webhook admin (subscriptions, deliveries, resend), registered by api.wagtail_hooks."""
