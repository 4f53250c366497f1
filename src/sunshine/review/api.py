"""JSON API of the review app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["review"])
