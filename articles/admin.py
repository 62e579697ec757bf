import json
from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import desk, images, presence, preview, rendering, revisions, workflow
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    DraftCopy,
    MediaImage,
    ReviewNote,
    Section,
    Status,
    Tag,
    body_references,
)
from newsroom import audit, dates, roles, seo
from newsroom.characters import is_digits

# Where Google cuts what it shows (a NewsArticle's headline: at most 110 characters).
LIMITS = {
    "headline": (110, "Google shows at most 110 characters of a news article's headline."),
    "dek": (160, "Search results show about 160 characters of a description."),
    "seo_title": (60, "Search results show about 60 characters of a title."),
    "seo_description": (160, "Search results show about 160 characters of a description."),
}
# What the change form keeps as an unsaved copy while someone types, and how often.
AUTOSAVED_FIELDS = ["headline", "slug", "dek", "body", "excerpt"]
AUTOSAVE_SECONDS = 5
AUTOSAVE_MAX_LENGTH = rendering.BODY_MAX_LENGTH
PICKER_LIMIT = 30


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


@admin.register(MediaImage)
class MediaImageAdmin(admin.ModelAdmin):
    """The media library: pictures uploaded once, placed in bodies by their number."""

    list_display = ["thumbnail", "number", "alt", "caption", "credit", "block_text"]
    list_display_links = ["thumbnail", "number", "alt"]
    search_fields = ["alt", "caption", "credit"]
    fields = ["image", "alt", "caption", "credit", "block_text", "size", "uploaded_by"]
    readonly_fields = ["block_text", "size", "uploaded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Picture")
    def thumbnail(self, picture):
        url = images.smallest_rendition_url(picture) if picture.pk else ""
        if not url:
            return "—"
        return format_html('<img src="{}" alt="" width="80" class="thumbnail">', url)

    @admin.display(description="Number", ordering="pk")
    def number(self, picture):
        return picture.pk

    @admin.display(description="Put it in a body with")
    def block_text(self, picture):
        if not picture.pk:
            return "Its lines appear here once it is saved."
        return format_html('<code class="image-block">{}</code>', picture.block)

    @admin.display(description="Size")
    def size(self, picture):
        return f"{picture.width} × {picture.height} pixels" if picture.width else "—"


class BylineForm(forms.ModelForm):
    """One author in the byline; its place is set by dragging the row or its arrow buttons."""

    position = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = ArticleAuthor
        fields = ["position", "author"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A blank row has no place yet: it goes after the others, not first at 0.
            self.initial.pop("position", None)
            self.fields["position"].initial = None

    def has_changed(self):
        if self.instance.pk is None:
            # A place written by the ordering script alone does not make a blank row an author.
            return bool(set(self.changed_data) - {"position"})
        return super().has_changed()


def is_related_articles_lookup(request):
    """Whether `request` is the admin's autocomplete for an article's related articles."""
    match = request.resolver_match
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("model_name") == "article"
        and request.GET.get("field_name") == "related_articles"
    )


class BylineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("author")
            and not form.cleaned_data.get("DELETE")
        ]
        # Rows without a place (a new row, no script to number it) go last, in the order shown.
        placed = [
            f.cleaned_data["position"] for f in kept if f.cleaned_data["position"] is not None
        ]
        last = max(placed, default=-1)
        for form in kept:
            if form.cleaned_data.get("position") is None:
                last += 1
                form.cleaned_data["position"] = form.instance.position = last
        # The status the article leaves and the one it has once saved (set by ArticleForm.clean).
        status = self.instance.status or Status.DRAFT
        old, new = getattr(self.instance, "desk_status", (status, status))
        refusal = workflow.author_refusal(old=old, new=new, has_authors=bool(kept))
        if refusal:
            raise ValidationError(refusal)


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    form = BylineForm
    formset = BylineFormSet
    fields = ["position", "author"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "Authors, in byline order (drag a row, or use its arrows, to move it)"
    classes = ["byline-order"]


class BodyWidget(forms.Textarea):
    """The body's text box with its live preview beside it (below it on a phone)."""

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="body-editor">'
            '<div class="body-editor__write">'
            '<div class="body-editor__tools">'
            '<button type="button" class="button" id="insert-picture" '
            'aria-haspopup="dialog">Insert picture</button></div>{}</div>'
            '<section class="body-editor__preview" aria-label="Live preview">'
            '<h3>Live preview</h3><div id="live-preview" class="live-preview" aria-live="polite" '
            'data-url="{}"><p class="help">The body as readers will see it appears here as '
            "you type.</p></div></section></div>",
            box,
            reverse("admin:articles_article_live_preview"),
        )


class ArticleForm(forms.ModelForm):
    """The change form, which knows who is editing and refuses moves and stale saves."""

    user = None  # set per request by ArticleAdmin.get_form

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.old_status = self.instance.status if self.instance.pk else None
        self.conflict = None
        self.button = None
        self.fields["loaded_version"].initial = self.instance.version
        if "status" in self.fields:
            allowed = set(workflow.allowed_statuses(self.user, self.old_status))
            self.fields["status"].widget.choices = [
                choice for choice in self.fields["status"].choices if choice[0] in allowed
            ]
            self.fields[
                "status"
            ].help_text = "The buttons above move the article; this list does the same on saving."
        for name, (limit, why) in LIMITS.items():
            if name in self.fields:
                self.fields[name].widget.attrs.update({"data-limit": limit, "data-limit-why": why})
        if "slug" in self.fields:
            slug = self.instance.slug
            self.fields["slug"].help_text = format_html(
                'Readers find it at <code>{}/news/<span class="slug-address">{}</span>/</code>. '
                "Made from the headline if left blank.",
                seo.absolute(""),
                slug or "…",
            )
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = (
                f"{dates.zone_name()} time ({dates.zone_offset()}). When readers first see it: "
                "set on publishing; a time still to come schedules it."
            )
        if "body" in self.fields:
            self.fields["body"].widget = BodyWidget(attrs={"rows": 20, "class": "vLargeTextField"})
            self.fields["body"].help_text += (
                " A picture from the media library goes between paragraphs as lines from "
                "“:::image” to “:::” with id: (its number there) and, if wanted, caption: — "
                "“Insert picture” writes them for you."
            )

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        blocks = rendering.parse_blocks_leniently(body)
        missing = rendering.unknown_images(blocks, body_references(blocks)["images_by_id"])
        if missing:
            raise ValidationError(missing)
        return body

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.check_loaded_version(cleaned)
        published_at = cleaned.get("published_at", self.instance.published_at)
        if self.data.get("_workflow"):
            return self.clean_button(cleaned, published_at)
        new = cleaned.get("status")
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
            # The byline formset checks that an article in `new` keeps an author.
            self.instance.desk_status = (self.old_status or Status.DRAFT, new)
        return cleaned

    def clean_button(self, cleaned, published_at):
        """A workflow button was pressed: the status list is left alone, the button moves."""
        old = self.old_status or Status.DRAFT
        button = desk.pressed(self.data)
        if button is None or button not in desk.buttons_for(self.user, self.old_status):
            raise ValidationError(
                f"You may not do that to an article that is “{Status(old).label}”; the "
                "buttons above are what you may do now."
            )
        if "status" in cleaned:
            cleaned["status"] = old
        self.button, self.instance.desk_status = button, (old, button.to)
        self.note = self.data.get("_workflow_note", "").strip()
        self.schedule_at = None
        when = published_at
        if button is desk.SCHEDULE:
            when = self.schedule_at = self.parse_schedule_time(published_at)
        elif button is desk.PUBLISH:
            when = None  # now
        if button is desk.SEND_BACK and not self.note:
            raise ValidationError("Say in the note what the writer should change, then send it.")
        refusal = workflow.refusal(self.user, old, button.to, when)
        if refusal:
            raise ValidationError(refusal)
        return cleaned

    def parse_schedule_time(self, published_at):
        """The time typed beside "Schedule…", read in the newsroom's time zone."""
        typed = self.data.get("_schedule_at", "").strip()
        if not typed:
            return published_at
        try:
            moment = datetime.fromisoformat(typed)
        except ValueError as error:
            raise ValidationError(
                f"“{typed[:40]}” is not a date and time; write it like 2024-01-22 09:00."
            ) from error
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

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
    list_display = ["thumbnail", "headline", "status", "section", "byline", "publication_time"]
    list_display_links = ["thumbnail", "headline"]
    list_filter = [
        "status",
        "section",
        ("bylines__author", admin.RelatedOnlyFieldListFilter),
        "published_at",
    ]
    # Searched by the site's search engine (get_search_results), drafts included.
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
        # A form sent back with errors carries what was typed, perhaps an emptied slug.
        if article.is_public and article.slug:
            return article.get_absolute_url()
        return preview_url(article)

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
        visible = queryset.visible_to(request.user)
        if is_related_articles_lookup(request):
            # Anyone writing may link to what readers can already read.
            return visible | queryset.published()
        return visible

    def get_search_results(self, request, queryset, search_term):
        from search.engine import admin_search
        from search.models import Entry

        if not search_term.strip():
            return queryset, False
        return admin_search(queryset, search_term, Entry.Kind.ARTICLE), False

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
        saved = obj is not None and obj.pk
        if saved:
            context["preview_url"] = preview_url(obj)
            context["share_url"] = seo.absolute(preview.share_url(obj))
            context["share_hours"] = preview.max_age() // 3600
            if self.has_change_permission(request, obj):
                context["withdraw_links_url"] = reverse(
                    "admin:articles_article_withdraw_preview_links", args=[obj.pk]
                )
            context["review_notes"] = obj.review_notes.select_related("written_by")
            context["notes_url"] = reverse("admin:articles_article_notes", args=[obj.pk])
            context["presence_url"] = reverse("admin:articles_article_presence", args=[obj.pk])
            context["others_here"] = presence_text(presence.here(obj.pk, request.user))
            # A form sent back with errors carries what was typed, perhaps an emptied slug.
            context["public_address"] = obj.get_absolute_url() if obj.slug else ""
        adminform = context.get("adminform")
        form = adminform.form if adminform else None
        context["conflict"] = getattr(form, "conflict", None)
        status = obj.status if saved else None
        if self.has_change_permission(request, obj if saved else None):
            context["workflow_buttons"] = desk.buttons_for(request.user, status)
        context["status_label"] = Status(status or Status.DRAFT).label
        context["zone_name"] = dates.zone_name()
        context["autosave_url"] = reverse("admin:articles_article_autosave")
        context["pictures_url"] = reverse("admin:articles_article_pictures")
        context["draft_copy"] = self.draft_copy(request.user, obj if saved else None)
        context["autosave_seconds"] = AUTOSAVE_SECONDS
        context["heartbeat_seconds"] = presence.HEARTBEAT_SECONDS
        return super().render_change_form(request, context, add, change, form_url, obj)

    def draft_copy(self, user, article):
        """The unsaved copy `user` left of the article, if it differs from the article."""
        copy = DraftCopy.objects.filter(user=user, article=article).first()
        if copy is None:
            return None
        differs = any(
            copy.fields.get(name, "") != (getattr(article, name) if article else "")
            for name in AUTOSAVED_FIELDS
            if name in copy.fields
        )
        if not differs:
            return None
        return {"fields_json": json.dumps(copy.fields), "saved": dates.desk_time(copy.saved_at)}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        own = getattr(request.user, "author", None)
        if isinstance(inline, BylineInline) and request.method == "GET" and obj.pk is None and own:
            # A writer's own byline is there to begin with. Only on the blank form: posted
            # again, a row equal to its initial value would count as unchanged and be dropped.
            kwargs["initial"] = [{"author": own.pk}]
        return kwargs

    def save_model(self, request, obj, form, change):
        """Save the article; a new status is a move, made by the workflow's service for it."""
        if not change:
            obj.created_by = request.user
        if form.button is not None:
            obj.status = form.old_status or Status.DRAFT
            desk.press(
                form.button, article=obj, by=request.user, at=form.schedule_at, note=form.note
            )
            return
        new, obj.status = obj.status, form.old_status or Status.DRAFT
        if new == obj.status:
            super().save_model(request, obj, form, change)
        else:
            workflow.move(article=obj, by=request.user, to=new)

    def response_add(self, request, obj, post_url_continue=None):
        button = desk.pressed(request.POST)
        if button is not None:
            return self.after_button(request, obj, button)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        button = desk.pressed(request.POST)
        if button is not None:
            return self.after_button(request, obj, button)
        return super().response_change(request, obj)

    def after_button(self, request, obj, button):
        """Say what the button did, and stay on the article."""
        message = desk.outcome(button, obj)
        address = obj.get_absolute_url()
        if address in message and obj.is_public:
            before, after = message.split(address, 1)
            message = format_html('{}<a href="{}">{}</a>{}', before, address, address, after)
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

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
        def view(route, function, name):
            return path(
                route, self.admin_site.admin_view(function), name=f"articles_article_{name}"
            )

        return [
            view("<int:object_id>/history/compare/", self.compare_view, "compare"),
            view("<int:object_id>/presence/", self.presence_view, "presence"),
            view("<int:object_id>/notes/", self.notes_view, "notes"),
            view("desk/autosave/", self.autosave_view, "autosave"),
            view("desk/preview/", self.live_preview_view, "live_preview"),
            view("desk/pictures/", self.pictures_view, "pictures"),
            view(
                "<int:object_id>/withdraw-preview-links/",
                self.withdraw_preview_links_view,
                "withdraw_preview_links",
            ),
            *super().get_urls(),
        ]

    def article_for(self, request, object_id, change=False):
        """The article `object_id` if `request.user` may open it (change it, with `change`)."""
        article = self.get_queryset(request).filter(pk=object_id).first()
        if article is None:
            raise Http404("No such article, or not one you may open.")
        allowed = self.has_change_permission if change else self.has_view_or_change_permission
        if not allowed(request, article):
            raise PermissionDenied
        return article

    @staticmethod
    def refused(message, status=400):
        return JsonResponse({"error": message}, status=status)

    @method_decorator(require_POST)
    def presence_view(self, request, object_id):
        """The change form's heartbeat: say who else has the article open, and since when."""
        article = self.article_for(request, object_id)
        if request.POST.get("leave"):
            presence.gone(article.pk, request.user)
            return JsonResponse({"others": []})
        others = presence.here(article.pk, request.user)
        return JsonResponse(
            {
                "others": [
                    {"name": o["name"], "since": dates.desk_time(o["since"])} for o in others
                ],
                "text": presence_text(others),
            }
        )

    @method_decorator(require_POST)
    def notes_view(self, request, object_id):
        """Add an editorial note to the article's thread."""
        article = self.article_for(request, object_id)
        text = request.POST.get("text", "").strip()
        wants_json = "application/json" in request.headers.get("Accept", "")
        back = reverse("admin:articles_article_change", args=[article.pk]) + "#review-notes"
        if not text:
            message = "Write something in the note before adding it."
            if wants_json:
                return self.refused(message)
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(back)
        note = ReviewNote.objects.create(article=article, written_by=request.user, text=text)
        if wants_json:
            html = render_to_string("admin/articles/article/review_note.html", {"note": note})
            return JsonResponse({"html": html})
        self.message_user(request, "Your note was added.", messages.SUCCESS)
        return HttpResponseRedirect(back)

    @method_decorator(require_POST)
    def autosave_view(self, request):
        """Keep what the person typed as their unsaved copy; the article itself is not touched."""
        pk = request.POST.get("article", "")
        article = None
        if pk:
            if not is_digits(pk):
                return self.refused(f"“{pk[:20]}” is not an article number.")
            article = self.article_for(request, pk, change=True)
        elif not self.has_add_permission(request):
            raise PermissionDenied
        if request.POST.get("discard"):
            DraftCopy.objects.filter(user=request.user, article=article).delete()
            return JsonResponse({"text": "Your unsaved copy was discarded."})
        fields = {name: request.POST[name] for name in AUTOSAVED_FIELDS if name in request.POST}
        too_long = [name for name, value in fields.items() if len(value) > AUTOSAVE_MAX_LENGTH]
        if too_long:
            return self.refused(
                f"The {too_long[0]} is longer than {AUTOSAVE_MAX_LENGTH:,} characters, so no "
                "unsaved copy was kept; save the article instead.",
                status=413,
            )
        copy, _ = DraftCopy.objects.update_or_create(
            user=request.user,
            article=article,
            defaults={"fields": fields, "saved_at": timezone.now()},
        )
        return JsonResponse({"text": f"Unsaved changes kept at {dates.desk_time(copy.saved_at)}."})

    @method_decorator(require_POST)
    def live_preview_view(self, request):
        """The body as the article page draws it, with each error after the block it is in."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body = request.POST.get("body", "")
        refused = rendering.size_errors(body)
        if refused:  # too big to read: showing it would tie up the worker
            return JsonResponse({"html": "", "errors": refused})
        blocks = rendering.parse_blocks_leniently(body)
        references = body_references(blocks)
        errors = rendering.body_errors(body)
        errors += rendering.unknown_images(blocks, references["images_by_id"])
        html = rendering.render_with_errors(blocks, errors, **references)
        return JsonResponse({"html": html, "errors": errors})

    def pictures_view(self, request):
        """The media library's pictures for the change form's picker, newest first."""
        if not request.user.has_perm("articles.view_mediaimage"):
            raise PermissionDenied
        pictures = MediaImage.objects.all()
        query = request.GET.get("q", "").strip()
        if query:
            pictures = pictures.filter(
                Q(alt__icontains=query) | Q(caption__icontains=query) | Q(credit__icontains=query)
            )
        return JsonResponse(
            {
                "pictures": [
                    {
                        "id": picture.pk,
                        "alt": picture.alt,
                        "caption": picture.caption,
                        "thumbnail": images.smallest_rendition_url(picture),
                        "block": picture.block,
                    }
                    for picture in pictures[:PICKER_LIMIT]
                ],
                "add_url": reverse("admin:articles_mediaimage_add"),
            }
        )

    def withdraw_preview_links_view(self, request, object_id):
        """The "Withdraw shared links" button: the links sent so far stop opening."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        preview.withdraw_links(article=article, by=request.user)
        self.message_user(
            request,
            "Shared preview links withdrawn: links sent before no longer open. "
            "The shareable link on this page is a new one.",
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

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
            '<img src="{}" alt="" width="80" class="thumbnail">', article.hero_image.url
        )

    @admin.display(description=f"Publication time ({dates.zone_name()})", ordering="published_at")
    def publication_time(self, article):
        return dates.desk_time(article.published_at).removesuffix(f" ({dates.zone_name()})") or "—"

    def save_related(self, request, form, formsets, change):
        authors_before = form.instance.author_ids() if change else None
        super().save_related(request, form, formsets, change)
        # Saved: the unsaved copy of what was typed is no longer needed.
        DraftCopy.objects.filter(
            user=request.user, article=form.instance if change else None
        ).delete()
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
        moved, skipped, authorless = 0, 0, []
        with transaction.atomic():
            chosen = Article.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
            for article in chosen.select_for_update().order_by("pk"):
                has_authors = article.bylines.exists()
                if workflow.author_refusal(old=article.status, new=status, has_authors=has_authors):
                    authorless.append(f"“{article}”")
                    continue
                try:
                    workflow.move(article=article, by=request.user, to=status)
                except workflow.WorkflowRefused:
                    skipped += 1
                else:
                    moved += 1
        message = f"{verb} {moved} article(s)."
        if skipped:
            message += f" {skipped} could not be: their status does not allow it."
        if authorless:
            message += f" Add an author first to {', '.join(authorless)}: the byline is empty."
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


# The editors' desk: corrections on the article, search and social fields, the front page,
# old addresses.

from articles.models import Correction, FeaturedArticle, Redirect  # noqa: E402


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    extra = 0
    verbose_name_plural = "Corrections and editor’s notes (printed at the end of the article)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class SignedFormSet(formset):
            def save_new(self, form, commit=True):
                form.instance.created_by = request.user
                return super().save_new(form, commit)

        return SignedFormSet


ArticleAdmin.inlines = [*ArticleAdmin.inlines, CorrectionInline]
ArticleAdmin.fieldsets = [
    *ArticleAdmin.fieldsets,
    (
        "Search and social",
        {
            "fields": ["seo_title", "seo_description", "social_image"],
            "classes": ["collapse"],
            "description": "Optional: what search engines and shared links show instead of "
            "the headline, the dek and the hero picture.",
        },
    ),
]


@admin.register(FeaturedArticle)
class FeaturedArticleAdmin(admin.ModelAdmin):
    """The front page: the smallest position is the top story, then the others in order."""

    list_display = ["position", "article", "shown"]
    list_display_links = ["article"]
    list_editable = ["position"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]

    @admin.display(description="Shown to readers", boolean=True)
    def shown(self, featured):
        return featured.article.is_public


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses, kept when a slug changes; an editor may remove one."""

    list_display = ["old_path", "target", "moved_at"]
    search_fields = ["old_path"]
    list_select_related = ["article", "section", "author", "tag"]
    fields = ["old_path", "article", "section", "author", "tag", "moved_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


def presence_text(others):
    """ "Olena Editor has had this article open since January 22, 2024, 09:00 (Kyiv)." """
    if not others:
        return ""
    names = [f"{o['name']} (since {dates.desk_time(o['since'])})" for o in others]
    verb = "has" if len(names) == 1 else "have"
    return (
        f"{' and '.join(names)} {verb} this article open too. If you both save, the second "
        "save is refused: agree who edits."
    )
