"""Staff pages of casework, mounted at /staff/cases/."""

from django.urls import path

from sunshine.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("export.xlsx", views.case_export, name="case_export"),
    path("hotline/", views.hotline, name="hotline"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/<slug:step>/", views.template_step, name="template_step"),
    path("<str:code>/", views.case_detail, name="case_detail"),
    path("<str:code>/identity/", views.case_identity, name="case_identity"),
    path("<str:code>/<slug:step>/", views.case_step, name="case_step"),
]
