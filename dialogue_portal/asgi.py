import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue_portal.settings")
application = get_asgi_application()

from dialogue_portal.checks import refuse_to_serve_if_misconfigured  # noqa: E402

refuse_to_serve_if_misconfigured()
