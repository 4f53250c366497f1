"""Users in the admin: Django's user admin plus Sunshine's role and scope."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from sunshine.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "role", "region_code", "school", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff", "region_code")
    list_select_related = ("school",)
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    raw_id_fields = ("school",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("角色与范围"), {"fields": ("role", "region_code", "school", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("角色与范围"), {"fields": ("role", "region_code", "school")}),
    )
