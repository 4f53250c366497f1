"""JSON API of the admissions app (mounted under /api/ by sunshine.config.api)."""

from ninja import Router

router = Router(tags=["admissions"])
