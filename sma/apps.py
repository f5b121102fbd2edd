from django.apps import AppConfig


class SmaConfig(AppConfig):
    name = "sma"
    verbose_name = "SMA"
