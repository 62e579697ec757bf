from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import preview, revisions, workflow
from articles.models import Article, ArticleAuthor, Author, Section, Status, Tag
from newsroom import audit, roles
from newsroom.models import AuditEntry


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role", "is_active", "user"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    fields = ["position", "author"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "Authors, in byline order (the smallest position comes first)"


class ArticleForm(forms.ModelForm):
    """The change form, which knows who is editing and refuses moves and stale saves."""

    user = None  # set per request by ArticleAdmin.get_form
    restoring = False

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.old_status = self.instance.status if self.instance.pk else None
        self.conflict = None
        self.fields["loaded_version"].initial = self.instance.version
        if "status" in self.fields:
            allowed = set(workflow.allowed_statuses(self.user, self.old_status))
            self.fields["status"].widget.choices = [
                choice for choice in self.fields["status"].choices if choice[0] in allowed
            ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self.restoring:
            loaded = cleaned.get("loaded_version")
            if loaded is not None and loaded != self.instance.version:
                self.conflict = conflict_since(self.instance, loaded)
                raise ValidationError(self.conflict["message"])
        new = cleaned.get("status")
        published_at = cleaned.get("published_at", self.instance.published_at)
        if new == Status.PUBLISHED and published_at and published_at > timezone.now():
            if self.old_status == Status.SCHEDULED and "published_at" not in self.changed_data:
                # Publishing a scheduled article means now, not at its planned time.
                cleaned["published_at"] = timezone.now()
            else:
                # "A future time schedules it", as the field's help says.
                new = cleaned["status"] = Status.SCHEDULED
        if new:
            refusal = workflow.refusal(self.user, self.old_status, new, published_at)
            if refusal:
                self.add_error("status" if "status" in self.fields else None, refusal)
        return cleaned


def conflict_since(article, loaded):
    """Who saved `article` after version `loaded` was opened, and what they changed."""
    latest = Version.objects.get_for_object(article).select_related("revision__user").first()
    who = "Someone else"
    if latest and latest.revision.user:
        who = latest.revision.user.get_username()
    when = timezone.localtime(article.updated_at).strftime("%H:%M")
    before = revisions.version_with_number(article, loaded)
    changes = []
    if before is not None:
        changes = revisions.diff(
            revisions.snapshot_of_version(before), revisions.snapshot_of_article(article)
        )
    return {
        "message": (
            f"{who} saved this article at {when}, while you were editing it, so your changes "
            "were not saved. What they changed is shown below. Copy your changes, reload the "
            "page and make them again on the latest version."
        ),
        "changes": changes,
        "known": before is not None,
    }


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleForm
    inlines = [BylineInline]
    list_display = ["headline", "status", "section", "byline", "published_at", "thumbnail"]
    list_filter = [
        "status",
        "section",
        ("bylines__author", admin.RelatedOnlyFieldListFilter),
        "published_at",
    ]
    search_fields = ["headline", "dek", "body", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags", "related_articles"]
    readonly_fields = ["reading_time", "created_at", "updated_at", "created_by"]
    actions = ["submit_for_review", "publish", "unpublish"]
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body", "loaded_version"]}),
        ("Placement", {"fields": ["status", "published_at", "section", "tags", "excerpt"]}),
        (
            "Hero image",
            {"fields": ["hero_image", "hero_caption", "hero_credit", "hero_alt"]},
        ),
        ("Audio", {"fields": ["audio", "audio_ai_generated"], "classes": ["collapse"]}),
        (
            "More",
            {
                "fields": [
                    "related_articles",
                    "reading_time",
                    "created_by",
                    "created_at",
                    "updated_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_public else preview_url(article)

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST":
            # Lock the row for the rest of the save, so that two saves arriving together are
            # checked against the version one after the other.
            try:
                list(Article.objects.select_for_update().filter(pk=object_id).values_list("pk"))
            except (ValueError, ValidationError):
                return None
        return super().get_object(request, object_id, from_field)

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related("section")
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
            )
        )
        return queryset.visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is not None and roles.is_contributor_only(request.user):
            return obj.status in workflow.CONTRIBUTOR_EDITABLE
        return True

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if roles.is_contributor_only(request.user):
            fields.append("published_at")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(
            form.__name__,
            (form,),
            {"user": request.user, "restoring": getattr(request, "_restoring_version", None)},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["preview_url"] = preview_url(obj)
            context["share_url"] = request.build_absolute_uri(preview.share_url(obj))
            context["share_hours"] = preview.max_age() // 3600
        adminform = context.get("adminform")
        context["conflict"] = getattr(adminform.form, "conflict", None) if adminform else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        restored = getattr(request, "_restoring_version", None)
        if restored is not None:
            # The reverted row carries the old version number; carry on counting from now.
            obj.version = request._version_before_restore
        super().save_model(request, obj, form, change)
        if restored is not None:
            when = timezone.localtime(restored.revision.date_created).strftime("%Y-%m-%d %H:%M")
            audit.record(request.user, AuditEntry.Action.RESTORED, obj, f"Revision of {when}")
        action = workflow.audit_action(form.old_status, obj.status)
        if action:
            audit.record(request.user, action, obj, self.audit_note(obj, form.old_status))

    @staticmethod
    def audit_note(obj, old):
        note = f"From {Status(old or Status.DRAFT).label}"
        if obj.published_at and obj.status in (Status.SCHEDULED, Status.PUBLISHED):
            when = timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")
            note += f"; publication time {when}"
        return note

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method == "POST":
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            request._restoring_version = get_object_or_404(
                Version, pk=version_id, object_id=str(article.pk)
            )
            request._version_before_restore = article.version
        return super().revision_view(request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse("admin:articles_article_revision", args=[article.pk, version.pk]),
            }
            for version in versions.order_by("-revision__date_created", "-pk")
        ]
        context = {
            "action_list": action_list,
            "audit_entries": audit.for_object(article)[:50],
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def get_urls(self):
        compare = path(
            "<int:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        return [compare, *super().get_urls()]

    def compare_view(self, request, object_id):
        """A readable diff of two revisions: headline, status, authors and body."""
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        try:
            older = versions.get(pk=int(request.GET.get("from", "")))
            newer = versions.get(pk=int(request.GET.get("to", "")))
        except (ValueError, Version.DoesNotExist):
            self.message_user(
                request, "Choose two revisions of this article to compare.", messages.ERROR
            )
            return self.history_view(request, str(article.pk))
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Changes to “{article}”",
            "older": older,
            "newer": newer,
            "changes": revisions.diff(
                revisions.snapshot_of_version(older), revisions.snapshot_of_version(newer)
            ),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    @admin.display(description="Authors")
    def byline(self, article):
        return article.byline_names

    @admin.display(description="Image")
    def thumbnail(self, article):
        if not article.hero_image:
            return ""
        return format_html('<img src="{}" alt="" width="80">', article.hero_image.url)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Positions may be typed with gaps or ties; store them as 0, 1, 2 in the order shown.
        bylines = list(form.instance.bylines.order_by("position", "id"))
        for index, byline in enumerate(bylines):
            if byline.position != index:
                byline.position = index
                byline.save(update_fields=["position"])

    def move(self, request, queryset, status, verb):
        moved = skipped = 0
        for article in queryset:
            old = article.status
            if old == status or workflow.refusal(request.user, old, status, article.published_at):
                skipped += 1
                continue
            article.status = status
            article.save()
            action = workflow.audit_action(old, status)
            if action:
                audit.record(request.user, action, article, self.audit_note(article, old))
            moved += 1
        message = f"{verb} {moved} article(s)."
        if skipped:
            message += f" {skipped} could not be: their status does not allow it."
        self.message_user(request, message, messages.SUCCESS if moved else messages.WARNING)

    @admin.action(description="Submit the selected drafts for review")
    def submit_for_review(self, request, queryset):
        self.move(request, queryset, Status.REVIEW, "Submitted")

    @admin.action(description="Publish the selected articles now", permissions=["publish"])
    def publish(self, request, queryset):
        self.move(request, queryset, Status.PUBLISHED, "Published")

    @admin.action(description="Unpublish the selected articles", permissions=["unpublish"])
    def unpublish(self, request, queryset):
        self.move(request, queryset, Status.UNPUBLISHED, "Unpublished")

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.PUBLISH)

    def has_unpublish_permission(self, request):
        return request.user.has_perm(workflow.UNPUBLISH)


def preview_url(article):
    return reverse("articles:preview", kwargs={"pk": article.pk})
