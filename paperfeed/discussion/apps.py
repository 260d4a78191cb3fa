from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "paperfeed.discussion"
    label = "discussion"
    verbose_name = "Discussion"
