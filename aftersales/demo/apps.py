from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data of the quick start, assembled from every app's own `demo.py`. At the top of
    the project: it may import every app, and no app imports it."""

    name = "aftersales.demo"
    label = "demo"
    verbose_name = "Demo data"
