from django.apps import AppConfig


class LessonsConfig(AppConfig):
    """Lesson pages and their StreamField blocks, quizzes included."""

    name = "lessons"
