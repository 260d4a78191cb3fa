"""The search page's form: the query text, the mode, and filters passed on as structured values."""

from __future__ import annotations

from django import forms

from paperfeed.search.errors import QueryError
from paperfeed.search.query import Filters, parse_category
from paperfeed.search.service import MODES


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=500, required=False)
    mode = forms.ChoiceField(choices=[(mode, mode.title()) for mode in MODES], required=False, initial="hybrid")
    category = forms.CharField(max_length=32, required=False)  # read as cat: reads it (clean_category)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    has_code = forms.BooleanField(label="Has code", required=False)

    def clean_category(self) -> str:
        """The category as arXiv writes it (``cs.lg`` is cs.LG), as ``cat:`` reads it."""
        value = str(self.cleaned_data["category"] or "")
        try:
            return parse_category(value) if value else ""
        except QueryError as error:
            raise forms.ValidationError(str(error)) from None

    def query(self) -> str:
        return str(self.cleaned_data["q"]).strip()

    def filters(self) -> Filters:
        """The form's filters; each one set here takes the place of the same filter in the query text."""
        data = self.cleaned_data
        return Filters(
            categories=(data["category"],) if data["category"] else (),
            date_from=data["date_from"],
            date_to=data["date_to"],
            has_code=True if data["has_code"] else None,
        )

    def problems(self) -> str:
        """What is wrong with the form's values, one ``field: message`` each (after is_valid())."""
        return "; ".join(f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in self.errors.items())

    def is_empty(self) -> bool:
        return not self.query() and not self.filters()
