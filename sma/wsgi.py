import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sma.settings.local")

application = get_wsgi_application()

# What each worker would otherwise do in its first request (URL modules, templates, catalogs).
from sma.warmup import warm_up  # noqa: E402 - needs the app loaded above

warm_up()
