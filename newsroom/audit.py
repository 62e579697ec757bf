"""Write the audit log: one entry per publish, unpublish, schedule, restore or feed edit."""

from django.contrib.contenttypes.models import ContentType

from newsroom.models import AuditEntry


def record(user, action, obj, note=""):
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        note=note,
    )


def for_object(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("user")
