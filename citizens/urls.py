"""The citizens' portal at the site root. Vietnamese slugs: people read and dictate these addresses."""

from django.urls import path

from citizens import views

app_name = "citizens"

urlpatterns = [
    path("", views.home, name="home"),
    path("gui-kien-nghi/", views.petition_new, name="petition_new"),
    path("gui-kien-nghi/xem-lai/", views.petition_preview, name="petition_preview"),
    path("gui-kien-nghi/da-gui/", views.petition_sent, name="petition_sent"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/<str:code>/", views.track_detail, name="track_detail"),
    path("tra-cuu/<str:code>/danh-gia/", views.verdict, name="verdict"),
    path("tra-cuu/<str:code>/van-ban/<int:answer_id>/", views.answer_evidence, name="answer_evidence"),
    path("thong-bao/", views.NoticeListView.as_view(), name="notice_list"),
    path("thong-bao/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("hoi-nghi/", views.conference_calendar, name="conference_calendar"),
    path("hoi-nghi/<int:pk>/", views.ConferenceDetailView.as_view(), name="conference_detail"),
    path("du-lieu-cua-toi/", views.my_data, name="my_data"),
    path("du-lieu-cua-toi/ket-qua/", views.my_data_result, name="my_data_result"),
    path("du-lieu-cua-toi/tai-ve/", views.my_data_download, name="my_data_download"),
    path("du-lieu-cua-toi/xoa/", views.my_data_erase, name="my_data_erase"),
]
