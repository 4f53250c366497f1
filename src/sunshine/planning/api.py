"""JSON API of the planning app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["planning"])
