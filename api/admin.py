"""API keys are issued here: the whole key is shown once, on creation; afterwards only its prefix."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework_api_key.models import APIKey

from .models import ApiKey

# The package's own concrete model is not used (ours carries the scope): keep it out of the admin.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "scope", "created", "expiry_date", "revoked")
    list_filter = ("scope", "revoked")
    search_fields = ("name", "prefix")
    fields = ("name", "scope", "prefix", "created", "expiry_date", "revoked")
    readonly_fields = ("prefix", "created")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields: tuple[str, ...] = ("prefix", "created")
        if obj is not None:
            # The name is what the audit trail recorded for this key's writes; a revoked key is final.
            fields += ("name",)
            if obj.revoked:
                fields += ("scope", "expiry_date", "revoked")
        return fields

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            obj.save()
            return
        key = ApiKey.objects.assign_key(obj)
        obj.save()
        messages.warning(
            request,
            _(
                "The key of %(name)s is: %(key)s — copy it now and keep it safe: it will not be "
                "shown again (SMA keeps only its hash). Send it as the header "
                '"Authorization: Api-Key <key>".'
            )
            % {"name": obj.name, "key": key},
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the audit trail names the key
