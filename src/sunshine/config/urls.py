from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("sunshine.accounts.urls")),
    path("staff/", include("sunshine.admissions.urls")),
    path("lottery/", include("sunshine.ceremony.urls")),
    path("", include("sunshine.portal.urls")),
]
