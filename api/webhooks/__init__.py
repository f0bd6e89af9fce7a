"""Signed webhooks: subscriptions, an outbox written with the change, delivery by Celery."""
