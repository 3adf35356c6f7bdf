from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    """A class around a run: polls (predict, then reveal), the lessons' questions, joining by
    code and the class view for the projector."""

    name = "classroom"

    def ready(self) -> None:
        # The run host and the run page reach the class's polls through this extension point
        # only: runs never imports classroom (the import contracts in pyproject.toml).
        from runs import class_polls

        from .polls import LessonPolls

        class_polls.register(LessonPolls())
