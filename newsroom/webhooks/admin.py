"""The admin of webhooks (chief editors) and of their delivery log (read-only, redeliverable)."""

import json

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from newsroom.admin import ReadOnlyAdmin
from newsroom.models import Webhook, WebhookDelivery, new_webhook_secret
from newsroom.webhooks import addresses, delivery

Event = Webhook.Event


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label="Address",
        max_length=500,
        assume_scheme="https",
        help_text=Webhook._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the receiver is told of.",
    )
    new_secret = forms.BooleanField(
        label="Make a new secret",
        required=False,
        help_text="The old secret stops working at once; the new one is shown after saving.",
    )

    class Meta:
        model = Webhook
        fields = ["url", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            addresses.check(url)
        except (addresses.Refused, addresses.Unreachable) as error:
            raise forms.ValidationError(str(error)) from error
        return url


def secret_key(pk):
    return f"webhook-secret-{pk}"


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["url", "event_names", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["url"]
    readonly_fields = ["secret_hint"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["url", "events", "active"]
        return ["url", "events", "active", "secret_hint", "new_secret"]

    @admin.display(description="Events")
    def event_names(self, webhook):
        labels = dict(Event.choices)
        return ", ".join(labels.get(event, event) for event in webhook.events)

    @admin.display(description="Signing secret")
    def secret_hint(self, webhook):
        return f"…{webhook.secret[-4:]} (shown in full only when it was made)"

    def save_model(self, request, obj, form, change):
        if change and form.cleaned_data.get("new_secret"):
            obj.secret = new_webhook_secret()
        super().save_model(request, obj, form, change)
        if not change or form.cleaned_data.get("new_secret"):
            # Kept in the (database) session until the next page shows it, once.
            request.session[secret_key(obj.pk)] = obj.secret

    def _show_secret_next(self, request, obj, response):
        if secret_key(obj.pk) in request.session:
            url = reverse("admin:newsroom_webhook_change", args=[obj.pk])
            return HttpResponseRedirect(url)
        return response

    def response_add(self, request, obj, post_url_continue=None):
        return self._show_secret_next(request, obj, super().response_add(request, obj))

    def response_change(self, request, obj):
        return self._show_secret_next(request, obj, super().response_change(request, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        secret = request.session.pop(secret_key(object_id), None)
        if secret:
            self.message_user(
                request,
                f"The signing secret is {secret} — copy it into the receiver now: "
                "it is not shown again.",
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log, for reading; "Redeliver" sends an event once more."""

    list_display = [
        "created_at",
        "event",
        "webhook",
        "state",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["event", "webhook"]
    list_select_related = ["webhook"]
    date_hierarchy = "created_at"
    actions = ["redeliver"]
    readonly_fields = ["state", "body"]
    fields = [
        "webhook",
        "event",
        "delivery_id",
        "created_at",
        "state",
        "attempts",
        "last_attempt_at",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
        "body",
    ]

    @admin.display(description="State")
    def state(self, delivery):
        return delivery.state

    @admin.display(description="Body")
    def body(self, delivery):
        try:
            text = json.dumps(json.loads(delivery.payload), indent=2, ensure_ascii=False)
        except ValueError:
            text = delivery.payload
        return format_html("<pre>{}</pre>", text)

    def has_redeliver_permission(self, request):
        return request.user.has_perm("newsroom.change_webhook")

    @admin.action(description="Redeliver the selected events", permissions=["redeliver"])
    def redeliver(self, request, queryset):
        sent = [delivery.redeliver(one) for one in queryset.select_related("webhook")]
        self.message_user(
            request, f"Queued {len(sent)} event(s) to be sent again.", messages.SUCCESS
        )
