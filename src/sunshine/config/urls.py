from django.contrib import admin
from django.urls import include, path

from sunshine.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("accounts/", include("sunshine.accounts.urls")),
    path("family/", include("sunshine.families.urls")),
    path("staff/review/", include("sunshine.review.urls")),
    path("staff/planning/", include("sunshine.planning.urls")),
    path("staff/cases/", include("sunshine.oversight.urls")),
    path("staff/ledgers/", include("sunshine.ledgers.urls")),
    path("staff/campaigns/", include("sunshine.campaigns.urls")),
    path("staff/dashboard/", include("sunshine.analytics.urls")),
    path("staff/", include("sunshine.admissions.urls")),
    path("lottery/", include("sunshine.ceremony.urls")),
    path("complaints/", include("sunshine.oversight.public_urls")),
    path("open311/v2/", include("sunshine.oversight.open311_urls")),
    path("blacklist/", include("sunshine.campaigns.public_urls")),
    path("", include("sunshine.portal.urls")),
]
