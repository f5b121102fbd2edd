"""Work a web process does once, done when it starts instead of in its first request.

A gunicorn worker imports ``sma.wsgi`` before it accepts a request: there it imports every URL
module and view, builds the URL reverse lookups (each language's, and each namespace's, which
Django builds on its first ``reverse``), compiles the templates of the pages engineers load all day
(the cached template loader keeps them per process) and loads the translation catalogs. Without
this the first request each worker serves pays all of it. Nothing here touches the database: a
worker starts even while PostgreSQL is down.
"""

from __future__ import annotations

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation

# The pages an engineer loads all day, with the templates they extend or include.
HOT_TEMPLATES = (
    "base.html",
    "cases/case_list.html",
    "cases/partials/case_table.html",
    "cases/case_detail.html",
    "cases/partials/action.html",
    "cases/partials/countdown.html",
)


def warm_up() -> None:
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # the catalog, and the URL lookups, of each language
            translation.gettext("Cases")
            _reverse_each_namespace(get_resolver())
    for name in HOT_TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:  # a page renamed: its first request compiles it, as before
            continue


def _reverse_each_namespace(resolver: URLResolver, prefix: str = "") -> None:
    for namespace, (_pattern, included) in resolver.namespace_dict.items():
        name = next((key for key in included.reverse_dict if isinstance(key, str)), None)
        if name is not None:
            try:
                reverse(f"{prefix}{namespace}:{name}")
            except NoReverseMatch:  # it takes arguments: the lookups are built all the same
                pass
        _reverse_each_namespace(included, f"{prefix}{namespace}:")
