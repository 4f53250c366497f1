"""JSON API of the audit app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["audit"])
