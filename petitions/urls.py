"""The officials' petition pages, under /portal/ (see dialogue_portal/urls.py)."""

from django.urls import path

from petitions.views import actions, opinions, petitions

app_name = "petitions"

urlpatterns = [
    path("petitions/", petitions.PetitionInboxView.as_view(), name="inbox"),
    path("petitions/new/", petitions.PetitionCreateView.as_view(), name="petition_create"),
    path("petitions/bulk-assign/", actions.bulk_assign, name="bulk_assign"),
    path("petitions/<int:pk>/", petitions.PetitionDetailView.as_view(), name="petition_detail"),
    path("petitions/<int:pk>/accept/", actions.petition_accept, name="petition_accept"),
    path("petitions/<int:pk>/reject/", actions.petition_reject, name="petition_reject"),
    path("petitions/<int:pk>/assign/", actions.petition_assign, name="petition_assign"),
    path("petitions/<int:pk>/extend/", actions.petition_extend, name="petition_extend"),
    path("petitions/<int:pk>/answer/", actions.petition_answer, name="petition_answer"),
    path("petitions/<int:pk>/resolve/", actions.petition_resolve, name="petition_resolve"),
    path("petitions/<int:pk>/reopen/", actions.petition_reopen, name="petition_reopen"),
    path("petitions/attachments/<int:pk>/", petitions.attachment_download, name="attachment_download"),
    path("petitions/answers/<int:pk>/evidence/", petitions.answer_evidence, name="answer_evidence"),
    path("petitions/<int:pk>/redact/", actions.petition_redact, name="petition_redact"),
    path("units/<int:pk>/transfer-open-petitions/", actions.transfer_open_petitions, name="transfer_open_petitions"),
]

# Pages of the petitions app that live at a conference's address and keep their name in the
# conferences namespace ("conferences:opinions"): dialogue_portal/urls.py adds them there, so that
# conferences need not import petitions.
conference_urlpatterns = [
    path("conferences/<int:pk>/opinions/", opinions.opinions, name="opinions"),
]
