"""Root URL configuration: the citizens' portal at /, the officials' portal under /portal/, the admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from conferences import urls as conferences_urls
from dialogue_portal.csp import csp_report
from dialogue_portal.views import PasswordResetView, favicon
from petitions import urls as petitions_urls
from reports import views as report_views

admin.site.site_header = _("Direct dialogue portal — Decision 2200-QĐ/TU")
admin.site.site_title = _("Dialogue portal administration")
admin.site.index_title = _("System administration")

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("csp-report/", csp_report, name="csp_report"),
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("portal/", report_views.dashboard, name="dashboard"),
    # The conferences namespace holds the conferences app's pages and the opinions page of petitions.
    path("portal/", include((conferences_urls.urlpatterns + petitions_urls.conference_urlpatterns, "conferences"))),
    path("portal/", include("petitions.urls")),
    path("portal/", include("followup.urls")),
    path("portal/", include("reports.urls")),
    path("", include("opendata.urls")),
    path("", include("citizens.urls")),
]

if settings.DEBUG:
    # Only official documents (directives, plans) are public files. Citizens' attachments, answers'
    # evidence, minutes and reports are served by views that check scope, never from /media/.
    urlpatterns += static(f"{settings.MEDIA_URL}documents/", document_root=settings.MEDIA_ROOT / "documents")
