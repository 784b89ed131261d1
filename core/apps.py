from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared machinery"

    def ready(self):
        from . import cache

        cache.connect_signals()
