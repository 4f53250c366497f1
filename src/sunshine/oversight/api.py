"""JSON API of the oversight app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["oversight"])
