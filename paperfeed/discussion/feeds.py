"""/feeds/comments/ID.atom: the newest comments under one paper, as readers see them."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed

from paperfeed.discussion.counts import shown_comments
from paperfeed.discussion.models import Comment
from paperfeed.discussion.services import NoSuchThing, visible_paper
from paperfeed.lib.xmltext import xml_safe
from paperfeed.papers.models import Paper

FEED_SIZE = 50


class CommentFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, arxiv_id: str) -> Paper:
        try:
            return visible_paper(arxiv_id)
        except NoSuchThing as error:
            raise ObjectDoesNotExist(str(error)) from None  # the syndication view answers 404

    def title(self, obj: Paper) -> str:
        return xml_safe(f"paperfeed: comments on {obj.title}")

    def link(self, obj: Paper) -> str:
        return f"/paper/{obj.arxiv_id}/#comments"

    def subtitle(self, obj: Paper) -> str:
        return f"The newest {FEED_SIZE} comments under arXiv:{obj.arxiv_id}"

    def items(self, obj: Paper) -> list[Comment]:
        comments = shown_comments().filter(paper=obj).select_related("author", "paper")
        return list(comments.order_by("-created_at", "-pk")[:FEED_SIZE])

    def item_title(self, item: Comment) -> str:
        kind = "reply" if item.parent_id else "comment"
        return xml_safe(f"{item.author.get_username()}'s {kind} on {item.paper.title}")

    def item_description(self, item: Comment) -> str:
        return item.html  # sent as <summary type="html">: escaped once more inside the XML

    def item_link(self, item: Comment) -> str:
        return f"/paper/{item.paper.arxiv_id}/#comment-{item.pk}"

    def item_author_name(self, item: Comment) -> str:
        return item.author.get_username()

    def item_pubdate(self, item: Comment) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Comment) -> dt.datetime:
        return item.edited_at or item.created_at
