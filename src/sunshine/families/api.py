"""JSON API of the families app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["families"])
