"""Upgrading a database of before the read model: votes, submissions, checkpoints and rate
events move app (feed/jobs/accounts -> papers/lib) with every row kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("papers", "0002_paper_is_hidden"),
    ("feed", "0001_initial"),
    ("jobs", "0002_job_node"),
    ("accounts", "0001_initial"),
]


def migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_moved_tables_keep_their_rows():
    old = migrate(BEFORE)
    now = timezone.now()
    user = old.get_model("auth", "User").objects.create(username="early", is_active=True)
    paper = old.get_model("papers", "Paper").objects.create(arxiv_id="2603.00001", title="Old", changed_at=now)
    old.get_model("feed", "Vote").objects.create(user=user, paper=paper, created_at=now)
    old.get_model("feed", "Submission").objects.create(user=user, paper=paper, submitted_at=now)
    old.get_model("jobs", "HarvestCheckpoint").objects.create(source="s", key="k", started_at=now, updated_at=now)
    old.get_model("accounts", "RateEvent").objects.create(action="vote", key="user:1", at=now)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from paperfeed.lib.models import RateEvent
    from paperfeed.papers.models import HarvestCheckpoint, Submission, Vote
    from paperfeed.papers.votes import vote_count

    assert Vote.objects.get().paper.arxiv_id == "2603.00001"
    assert vote_count(Vote.objects.get().paper) == 1
    submission = Submission.objects.get()
    assert submission.user.username == "early" and submission.fetched is False
    assert HarvestCheckpoint.objects.get().key == "k"
    assert RateEvent.objects.get().action == "vote"
    from django.contrib.auth.models import User

    Vote.objects.create(user=User.objects.create(username="later"), paper=submission.paper, created_at=now)
    assert vote_count(submission.paper) == 2  # new rows go on in the renamed tables
