"""JSON API of the portal app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["portal"])
