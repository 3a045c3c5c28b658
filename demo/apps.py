from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: Thành ủy Cần Thơ and its Khối, real-format texts, amendments at every stage (`seed_demo`)."""

    name = "demo"
    verbose_name = "Dữ liệu mẫu"
