"""The officials' petition pages, under /portal/ (see dialogue_portal/urls.py)."""

from django.urls import path

from petitions import views

app_name = "petitions"

urlpatterns = [
    path("petitions/", views.PetitionInboxView.as_view(), name="inbox"),
    path("petitions/new/", views.PetitionCreateView.as_view(), name="petition_create"),
    path("petitions/bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("petitions/<int:pk>/", views.PetitionDetailView.as_view(), name="petition_detail"),
    path("petitions/<int:pk>/accept/", views.petition_accept, name="petition_accept"),
    path("petitions/<int:pk>/reject/", views.petition_reject, name="petition_reject"),
    path("petitions/<int:pk>/assign/", views.petition_assign, name="petition_assign"),
    path("petitions/<int:pk>/extend/", views.petition_extend, name="petition_extend"),
    path("petitions/<int:pk>/answer/", views.petition_answer, name="petition_answer"),
    path("petitions/<int:pk>/resolve/", views.petition_resolve, name="petition_resolve"),
    path("petitions/<int:pk>/reopen/", views.petition_reopen, name="petition_reopen"),
    path("petitions/<int:pk>/redact/", views.petition_redact, name="petition_redact"),
    path("petitions/attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("petitions/answers/<int:pk>/evidence/", views.answer_evidence, name="answer_evidence"),
    path("units/<int:pk>/transfer-open-petitions/", views.transfer_open_petitions, name="transfer_open_petitions"),
]
