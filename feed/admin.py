from django import forms
from django.contrib import admin, messages
from django.db import models

from feed.models import FeedItem
from newsroom import audit
from newsroom.models import AuditEntry


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "published_at",
        "status",
        "pinned",
        "section",
        "article",
        "updated_at",
    ]
    list_filter = ["status", "pinned", "section"]
    search_fields = ["headline", "summary"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["article", "section"]
    list_select_related = ["section", "article"]
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"},
    }
    readonly_fields = ["updated_at"]
    actions = ["unpublish"]
    fieldsets = [
        (None, {"fields": ["headline", "summary", "article", "section", "pinned"]}),
        (
            "Timing and status",
            {
                "fields": ["published_at", "status", "url", "updated_at"],
                "classes": ["collapse"],
                "description": "Leave as they are to post now. A future time schedules the item.",
            },
        ),
    ]

    def get_search_results(self, request, queryset, search_term):
        """Searched by the site's search engine, drafts included."""
        from search.engine import admin_search
        from search.models import Entry

        if not search_term.strip():
            return queryset, False
        return admin_search(queryset, search_term, Entry.Kind.FEED_ITEM), False

    def save_model(self, request, obj, form, change):
        was = form.initial.get("status") if change else None
        super().save_model(request, obj, form, change)
        if obj.status != was and obj.status == FeedItem.Status.PUBLISHED:
            audit.record(request.user, AuditEntry.Action.PUBLISHED, obj)
        elif obj.status != was and was == FeedItem.Status.PUBLISHED:
            audit.record(request.user, AuditEntry.Action.UNPUBLISHED, obj)
        elif change and form.changed_data:
            audit.record(request.user, AuditEntry.Action.EDITED, obj, ", ".join(form.changed_data))

    @admin.action(description="Unpublish: take the selected items off the feed")
    def unpublish(self, request, queryset):
        # One save per item, so open feed pages hear of each removal.
        items = list(queryset.filter(status=FeedItem.Status.PUBLISHED))
        for item in items:
            item.status = FeedItem.Status.DRAFT
            item.save(update_fields=["status"])
            audit.record(request.user, AuditEntry.Action.UNPUBLISHED, item)
        self.message_user(request, f"Unpublished {len(items)} item(s).", messages.SUCCESS)
