"""JSON API of the ledgers app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["ledgers"])
