"""The admin of what belongs to the whole site: the audit log and the newsroom's logins."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from newsroom.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log, for reading only: nothing is added, changed or deleted through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log."""

    list_display = ["when", "user", "action", "content_type", "object_repr", "note"]
    list_filter = ["action", "content_type", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "note", "user__username"]
    date_hierarchy = "when"
    list_select_related = ["user", "content_type"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    """Chief editors give people their roles; only a superuser hands out more than a role."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request, obj=None):
        # A superuser's account (password included) is theirs and other superusers' alone.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


# Webhooks and their delivery log (that module uses ReadOnlyAdmin, defined above).
from newsroom.webhooks import admin as webhooks_admin  # noqa: E402, F401
