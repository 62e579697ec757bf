from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
from newsroom import audit, roles, seo


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

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

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
        if self.instance.pk:
            self.check_loaded_version(cleaned)
        new = cleaned.get("status")
        published_at = cleaned.get("published_at", self.instance.published_at)
        if new == Status.PUBLISHED and published_at and published_at > timezone.now():
            if self.old_status == Status.SCHEDULED and "published_at" not in self.changed_data:
                # Publishing a scheduled article means now, not at its planned time.
                published_at = cleaned["published_at"] = timezone.now()
            else:
                # "A future time schedules it", as the field's help says.
                new = cleaned["status"] = Status.SCHEDULED
        if new:
            refusal = workflow.refusal(self.user, self.old_status, new, published_at)
            if refusal:
                self.add_error("status" if "status" in self.fields else None, refusal)
        return cleaned

    def check_loaded_version(self, cleaned):
        """Refuse a save from a form opened before someone else saved, or sent without saying
        which version it was opened on (the field is hidden, so the message goes on top)."""
        loaded = cleaned.get("loaded_version")
        if loaded is None:
            self.errors.pop("loaded_version", None)
            raise ValidationError(
                "This form did not say which version of the article it was opened on, so it "
                "cannot tell whether someone else saved the article since. Nothing was saved: "
                "reload the page and make your changes again."
            )
        if loaded != self.instance.version:
            self.conflict = revisions.conflict_since(self.instance, loaded)
            raise ValidationError(self.conflict["message"])


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
    revision_form_template = "admin/articles/article/revision_form.html"
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
        return obj is None or workflow.may_edit(request.user, obj.status)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if roles.is_contributor_only(request.user):
            fields.append("published_at")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["preview_url"] = preview_url(obj)
            context["share_url"] = seo.absolute(preview.share_url(obj))
            context["share_hours"] = preview.max_age() // 3600
        adminform = context.get("adminform")
        context["conflict"] = getattr(adminform.form, "conflict", None) if adminform else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """Save the article; a new status is a move, made by the workflow's service for it."""
        if not change:
            obj.created_by = request.user
        new, obj.status = obj.status, form.old_status or Status.DRAFT
        if new == obj.status:
            super().save_model(request, obj, form, change)
        else:
            workflow.move(article=obj, by=request.user, to=new)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """An old revision in the change form; saving the form restores it.

        Like django-reversion's own view, it puts the revision back in a transaction that is
        undone unless the form saves; unlike it, the status, publication time and the version
        the form is checked against stay as they are now (see revisions.revert).
        """
        if "_saveasnew" in request.POST:
            raise PermissionDenied
        context = {"title": "Restore this revision", **(extra_context or {})}
        try:
            with transaction.atomic(), self.create_revision(request):
                article = self.get_object(request, unquote(object_id))  # locked when saving
                if article is None:
                    return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
                version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
                revisions.revert(article, version)
                response = self.changeform_view(request, str(article.pk), request.path, context)
                if request.method != "POST" or response.status_code != 302:
                    response.template_name = self.revision_form_template
                    raise ShownNotSaved(response.render())
                workflow.record_restore(article=article, version=version, by=request.user)
        except ShownNotSaved as shown:
            return shown.response
        return response

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
        return format_html(
            '<img src="{}" alt="" width="80" style="height:auto">', article.hero_image.url
        )

    def save_related(self, request, form, formsets, change):
        authors_before = form.instance.author_ids() if change else None
        super().save_related(request, form, formsets, change)
        # Positions may be typed with gaps or ties; store them as 0, 1, 2 in the order shown.
        bylines = list(form.instance.bylines.order_by("position", "id"))
        for index, byline in enumerate(bylines):
            if byline.position != index:
                byline.position = index
                byline.save(update_fields=["position"])
        if change and form.instance.author_ids() != authors_before:
            form.instance.authors_changed()

    def move(self, request, queryset, status, verb):
        """Make one move for each chosen article that may make it, and say how many did."""
        moved = skipped = 0
        with transaction.atomic():
            chosen = Article.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
            for article in chosen.select_for_update().order_by("pk"):
                try:
                    workflow.move(article=article, by=request.user, to=status)
                except workflow.WorkflowRefused:
                    skipped += 1
                else:
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


class ShownNotSaved(Exception):
    """Undo a revision put back only to be shown, and answer with the page that shows it."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def preview_url(article):
    return reverse("articles:preview", kwargs={"pk": article.pk})
