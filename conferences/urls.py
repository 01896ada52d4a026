"""Plans and conferences in the officials' portal, mounted under /portal/. URL names are a contract."""

from django.urls import path

from conferences.views import actions, conclusions, conferences, corrections, plans

app_name = "conferences"

urlpatterns = [
    # Plans
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/new/", plans.plan_item_add, name="plan_item_add"),
    path("plans/items/<int:pk>/edit/", plans.plan_item_edit, name="plan_item_edit"),
    path("plans/items/<int:pk>/delete/", plans.plan_item_delete, name="plan_item_delete"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan_return"),
    path("plans/<int:pk>/complete/", plans.plan_complete, name="plan_complete"),
    # Conferences
    path("conferences/", conferences.ConferenceListView.as_view(), name="conference_list"),
    path("conferences/calendar/", conferences.conference_calendar, name="conference_calendar"),
    path("conferences/new/", conferences.conference_create, name="conference_create"),
    path("conferences/<int:pk>/", conferences.conference_detail, name="conference_detail"),
    path("conferences/<int:pk>/edit/", conferences.conference_edit, name="conference_edit"),
    path("conferences/<int:pk>/announce/", actions.conference_announce, name="conference_announce"),
    path("conferences/<int:pk>/postpone/", actions.conference_postpone, name="conference_postpone"),
    path("conferences/<int:pk>/reschedule/", actions.conference_reschedule, name="conference_reschedule"),
    path("conferences/<int:pk>/cancel/", actions.conference_cancel, name="conference_cancel"),
    path("conferences/<int:pk>/outcome/", actions.conference_record_outcome, name="conference_record_outcome"),
    path("conferences/<int:pk>/close/", actions.conference_close, name="conference_close"),
    path("conferences/<int:pk>/minutes/", actions.minutes_edit, name="minutes_edit"),
    path("conferences/<int:pk>/minutes/file/", conferences.minutes_download, name="minutes_download"),
    path("conferences/<int:pk>/minutes/approve/", actions.minutes_approve, name="minutes_approve"),
    path("conferences/<int:pk>/minutes/lock/", actions.minutes_lock, name="minutes_lock"),
    path("conferences/<int:pk>/minutes/draft/", actions.minutes_to_draft, name="minutes_to_draft"),
    path("conferences/<int:pk>/attachments/", conferences.attachment_add, name="attachment_add"),
    path("conferences/attachments/<int:pk>/", conferences.attachment_download, name="attachment_download"),
    # conferences/<int:pk>/opinions/ (name "opinions") is the petitions app's page, added to this
    # namespace by dialogue_portal/urls.py (see petitions.urls.conference_urlpatterns).
    path("conferences/<int:pk>/conclusions/", conclusions.conclusions, name="conclusions"),
    path("conferences/conclusions/<int:pk>/done/", actions.conclusion_done, name="conclusion_done"),
    path("conferences/conclusions/<int:pk>/edit/", corrections.conclusion_edit, name="conclusion_edit"),
    path("conferences/conclusions/<int:pk>/withdraw/", corrections.conclusion_withdraw, name="conclusion_withdraw"),
    path("conferences/attachments/<int:pk>/remove/", corrections.attachment_remove, name="attachment_remove"),
]
