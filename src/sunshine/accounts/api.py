"""JSON API of the accounts app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["accounts"])
