"""Narration in the article admin: its state, a preview, Regenerate and Remove, the voice."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse

from articles.admin import ArticleAdmin
from articles.models import Article
from narration import backends, generate, page
from narration.models import Narration

State = Narration.State


def state_text(article):
    """The narration's state in a few words, for the article list."""
    if article.audio:
        return "Uploaded reading"
    narration = getattr(article, "narration", None) if _has_narration(article) else None
    if narration is None or narration.state == State.NONE:
        return "None"
    if narration.state == State.READY:
        return f"Ready, {page.clock(narration.duration)}"
    if narration.state == State.FAILED:
        return f"Failed: {narration.reason[:80]}"
    return narration.get_state_display()


def _has_narration(article):
    try:
        article.narration  # noqa: B018 - a missing reverse one-to-one raises
    except Narration.DoesNotExist:
        return False
    return True


class NarrationForm(forms.ModelForm):
    class Meta:
        model = Narration
        fields = ["voice"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        backend = backends.current()
        default = dict(backend.voices).get(backend.default_voice, backend.default_voice)
        choices = [("", f"The newsroom's default: {default}"), *backend.voices]
        chosen = self.instance.voice
        if chosen and chosen not in dict(backend.voices):
            # Chosen under another backend: keep the form saving; the default voice reads.
            choices.append(
                (chosen, f"{chosen} (not a voice of {backend.label}: the default reads)")
            )
        self.fields["voice"] = forms.ChoiceField(
            choices=choices,
            required=False,
            help_text="Changing it reads a published article again.",
        )


class NarrationInline(admin.StackedInline):
    model = Narration
    form = NarrationForm
    fields = ["state_panel", "voice"]
    readonly_fields = ["state_panel"]
    can_delete = False
    extra = 1
    max_num = 1
    verbose_name = "narration"
    verbose_name_plural = "Narration (the article read aloud)"

    @admin.display(description="State")
    def state_panel(self, narration):
        article = getattr(narration, "article", None) if narration.article_id else None
        listening = None
        if narration.pk and narration.is_ready:
            listening = page.Listening(
                narration.get_absolute_url(), narration.content_type, narration.duration, True
            )
        context = {
            "narration": narration,
            "state": narration.state if narration.pk else State.NONE,
            "states": State,
            "listening": listening,
            "uploaded": bool(article and article.audio),
            "problem": backends.current().problem(),
            "saved": bool(article),
        }
        return render_to_string("admin/narration/state.html", context)


class NarratedArticleAdmin(ArticleAdmin):
    inlines = [*ArticleAdmin.inlines, NarrationInline]
    list_display = [*ArticleAdmin.list_display, "narration_state"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("narration")

    @admin.display(description="Narration")
    def narration_state(self, article):
        return state_text(article)

    def save_formset(self, request, form, formset, change):
        voice_changed = isinstance(formset.empty_form, NarrationForm) and any(
            "voice" in f.changed_data for f in formset.forms if f.instance.pk or f.has_changed()
        )
        super().save_formset(request, form, formset, change)
        if voice_changed and form.instance.is_public and not request.POST.get("_narration"):
            generate.queue(form.instance.pk, force=True)

    def response_change(self, request, obj):
        action = request.POST.get("_narration")
        if action in ("regenerate", "remove"):
            self.narration_button(request, obj, action)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def narration_button(self, request, article, action):
        if action == "remove":
            narration = Narration.objects.filter(article=article).first()
            if narration is not None:
                generate.remove(narration)
            self.message_user(request, "The narration was removed.", messages.SUCCESS)
            return
        problem = backends.current().problem()
        if problem:
            self.message_user(request, problem, messages.ERROR)
        elif not article.is_public:
            self.message_user(
                request,
                "Only articles readers can see are narrated: publish it first.",
                messages.WARNING,
            )
        elif article.audio:
            self.message_user(
                request, "This article plays the reading you uploaded.", messages.WARNING
            )
        else:
            generate.queue(article.pk, force=True)
            self.message_user(
                request,
                "The narration is queued; it is read in the background, in a minute or so.",
                messages.SUCCESS,
            )


admin.site.unregister(Article)
admin.site.register(Article, NarratedArticleAdmin)
