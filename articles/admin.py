from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Article, ArticleAuthor, Author, Section, Status, Tag


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    readonly_fields = ["reading_time", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        ("Placement", {"fields": ["status", "published_at", "section", "tags", "excerpt"]}),
        (
            "Hero image",
            {"fields": ["hero_image", "hero_caption", "hero_credit", "hero_alt"]},
        ),
        ("Audio", {"fields": ["audio", "audio_ai_generated"], "classes": ["collapse"]}),
        (
            "More",
            {
                "fields": ["related_articles", "reading_time", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("section")
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
            )
        )

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
        super().save_related(request, form, formsets, change)
        # Positions may be typed with gaps or ties; store them as 0, 1, 2 in the order shown.
        bylines = list(form.instance.bylines.order_by("position", "id"))
        for index, byline in enumerate(bylines):
            if byline.position != index:
                byline.position = index
                byline.save(update_fields=["position"])

    @admin.action(description="Publish the selected articles now")
    def publish(self, request, queryset):
        count = 0
        for article in queryset.exclude(status=Status.PUBLISHED):
            article.status = Status.PUBLISHED
            article.published_at = article.published_at or timezone.now()
            article.save()
            count += 1
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish the selected articles")
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status__in=[Status.PUBLISHED, Status.SCHEDULED]):
            article.status = Status.UNPUBLISHED
            article.save()
            count += 1
        self.message_user(request, f"Unpublished {count} article(s).", messages.SUCCESS)
