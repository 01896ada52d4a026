"""Follow-up notices, Front supervision and commendations, under /portal/. The names are a contract."""

from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/approve/", views.notice_approve, name="notice_approve"),
    path("notices/<int:pk>/return/", views.notice_return, name="notice_return"),
    path("notices/<int:pk>/publish/", views.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/posting/", views.notice_posting, name="notice_posting"),
    path("notices/<int:pk>/correct/", views.notice_correct, name="notice_correct"),
    path(
        "notices/from-conference/<int:pk>/", views.notice_create_from_conference, name="notice_create_from_conference"
    ),
    path("notices/conferences-without-notice/", views.conferences_without_notice, name="conferences_without_notice"),
    path("supervision/", views.supervision_list, name="supervision_list"),
    path("supervision/new/", views.supervision_create, name="supervision_create"),
    path("supervision/<int:pk>/recheck/", views.supervision_recheck, name="supervision_recheck"),
    path("commendations/", views.commendation_list, name="commendation_list"),
    path("commendations/new/", views.commendation_create, name="commendation_create"),
]
