from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"
