from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("compliance/", views.ComplianceBoardView.as_view(), name="compliance"),
    path("commendations/shortlist/", views.CommendationShortlistView.as_view(), name="commendation_shortlist"),
    path("figures/records/", views.RecordListView.as_view(), name="records"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("reports/<int:pk>/retry/", views.report_retry, name="report_retry"),
]
