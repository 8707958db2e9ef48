from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench`: the data generators and timing commands. At the top of the project: it may
    import every app, and no app imports it."""

    name = "aftersales.bench"
    label = "bench"
    verbose_name = "Benchmarks"
