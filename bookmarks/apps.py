from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "bookmarks"
    verbose_name = "Bookmarks"

    def ready(self):
        from . import intent

        intent.connect_signals()
