"""Staff pages of campaigns, the blacklist and the roll-up, under /staff/campaigns/."""

from django.urls import path

from sunshine.campaigns import blacklist_views, report_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("alerts/", views.run_alerts, name="run_alerts"),
    path("rollup/", report_views.rollup, name="rollup"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/phases/", views.add_phase, name="add_phase"),
    path("<int:pk>/tasks/", views.add_task, name="add_task"),
    path("<int:pk>/summary/", report_views.summary, name="summary"),
    path("<int:pk>/summary.xlsx", report_views.summary_xlsx, name="summary_xlsx"),
    path("tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path("blacklist/", blacklist_views.entry_list, name="blacklist"),
    path("blacklist/new/", blacklist_views.propose, name="blacklist_propose"),
    path("blacklist/<int:pk>/", blacklist_views.entry_detail, name="blacklist_detail"),
    path("blacklist/<int:pk>/<slug:step>/", blacklist_views.entry_step, name="blacklist_step"),
]
