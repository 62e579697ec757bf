from django.contrib import admin

from search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["spelling", "preferred"]
    search_fields = ["spelling", "preferred"]
