"""JSON API of the ceremony app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["ceremony"])
