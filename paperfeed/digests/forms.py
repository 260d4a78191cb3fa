"""The subscription form: what and when, shared by the subscribe and manage pages."""

from __future__ import annotations

from typing import Any

from django import forms

from paperfeed.digests.models import Subscription
from paperfeed.digests.schedule import is_timezone

LIST_FIELDS = ("categories", "authors", "include_keywords", "exclude_keywords", "saved_searches")
PROFILE_FIELDS = (
    "frequency", "timezone", "send_hour", "send_weekday", "trending_count", "recommendations", *LIST_FIELDS,
)  # fmt: skip
# The most one subscription follows (docs/security.md): field -> (entries, characters in one entry).
# Composing a digest runs one search per saved search, so their count bounds its work.
CAPS = {
    "categories": (50, 40),
    "authors": (100, 200),
    "include_keywords": (50, 100),
    "exclude_keywords": (50, 100),
    "saved_searches": (20, 200),
}
SAVED_SEARCHES_RUN = CAPS["saved_searches"][0]  # digests/compose.py runs no more than this many
WEEKDAYS = [
    (i, name) for i, name in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
]


def _split(text: str, separators: str) -> list[str]:
    for separator in separators[1:]:
        text = text.replace(separator, separators[0])
    return list(dict.fromkeys(part.strip() for part in text.split(separators[0]) if part.strip()))


def _capped(entries: list[str], name: str) -> list[str]:
    """``entries`` of the list field ``name``; ValidationError when there are too many or one is too long."""
    most, longest = CAPS[name]
    what = name.replace("_", " ")
    if len(entries) > most:
        raise forms.ValidationError(f"{len(entries)} {what}: at most {most}")
    for entry in entries:
        if len(entry) > longest:
            raise forms.ValidationError(f"{entry[:40]!r}... is too long: {what} have at most {longest} characters")
    return entries


class ProfileForm(forms.Form):
    frequency = forms.ChoiceField(choices=Subscription.FREQUENCIES, initial=Subscription.DAILY)
    timezone = forms.CharField(max_length=64, initial="UTC", help_text="e.g. Europe/Berlin")
    send_hour = forms.IntegerField(min_value=0, max_value=23, initial=7, help_text="Local hour, 0-23")
    send_weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, initial=0, help_text="For weekly digests")
    categories = forms.CharField(required=False, help_text="arXiv categories, comma-separated: cs.LG, cs.CL")
    authors = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One per line")
    include_keywords = forms.CharField(required=False, help_text="Any of these words, comma-separated")
    exclude_keywords = forms.CharField(required=False, help_text="None of these words, comma-separated")
    saved_searches = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One per line")
    trending_count = forms.IntegerField(min_value=0, max_value=50, initial=0, help_text="Top trending papers; 0 = none")
    recommendations = forms.BooleanField(required=False, help_text="Personal recommendations (needs an account)")

    def clean_timezone(self) -> str:
        name = str(self.cleaned_data["timezone"]).strip()
        if not is_timezone(name):
            raise forms.ValidationError(f"unknown time zone {name!r}; use a name like Europe/Berlin")
        return name

    def clean_categories(self) -> list[str]:
        return _capped(_split(self.cleaned_data["categories"], ", \n"), "categories")

    def clean_authors(self) -> list[str]:
        return _capped(_split(self.cleaned_data["authors"], "\n;"), "authors")

    def clean_include_keywords(self) -> list[str]:
        return _capped(_split(self.cleaned_data["include_keywords"], ",\n"), "include_keywords")

    def clean_exclude_keywords(self) -> list[str]:
        return _capped(_split(self.cleaned_data["exclude_keywords"], ",\n"), "exclude_keywords")

    def clean_saved_searches(self) -> list[str]:
        return _capped(_split(self.cleaned_data["saved_searches"], "\n"), "saved_searches")

    def profile(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    @classmethod
    def initial_for(cls, subscription: Subscription) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(subscription, name) for name in PROFILE_FIELDS}
        for name in LIST_FIELDS:
            joiner = "\n" if name in ("authors", "saved_searches") else ", "
            initial[name] = joiner.join(initial[name])
        return initial


class SubscribeForm(ProfileForm):
    email = forms.EmailField(max_length=254)
    field_order = ["email"]
