from __future__ import annotations

from django.contrib import admin

from sunshine.portal.models import Hotline


@admin.register(Hotline)
class HotlineAdmin(admin.ModelAdmin):
    list_display = ("name", "phone", "hours", "season")
    list_filter = ("season",)
