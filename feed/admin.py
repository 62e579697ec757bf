from django import forms
from django.contrib import admin
from django.db import models

from feed.models import FeedItem


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    list_display = ["headline", "published_at", "status", "pinned", "section", "article"]
    list_filter = ["status", "pinned", "section"]
    search_fields = ["headline", "summary"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["article", "section"]
    list_select_related = ["section", "article"]
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"},
    }
    fieldsets = [
        (None, {"fields": ["headline", "summary", "article", "section", "pinned"]}),
        (
            "Timing and status",
            {
                "fields": ["published_at", "status", "url"],
                "classes": ["collapse"],
                "description": "Leave as they are to post now. A future time schedules the item.",
            },
        ),
    ]
