from django.apps import AppConfig


class AihiringConfig(AppConfig):
    name = "aihiring"
    verbose_name = "AI Hiring Guide"

    def ready(self):
        from . import cache

        cache.connect_signals()
