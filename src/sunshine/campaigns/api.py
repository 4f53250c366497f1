"""JSON API of the campaigns app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["campaigns"])
