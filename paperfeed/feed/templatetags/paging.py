"""``{% page_url n %}``: the current address at page ``n`` (the pager's links keep the rest of the query)."""

from __future__ import annotations

from typing import Any

from django import template

from paperfeed.lib import paging

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    return paging.page_url(context["request"], number)
