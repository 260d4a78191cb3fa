"""Stored embeddings: one vector per paper, tagged with the model that computed it.

Vectors live in the database because they are the one expensive thing to recompute (about a
dozen papers a second on a CPU): every node and every index rebuild reads them from here,
and the index files under PAPERFEED_DATA_DIR stay derived data that can be thrown away.
"""

from __future__ import annotations

from django.db import models

from paperfeed.papers.models import Paper


class PaperVector(models.Model):
    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, primary_key=True, related_name="vector")
    model_id = models.CharField(max_length=200, help_text="Model and weights that computed the vector")
    vector = models.BinaryField(help_text="float32, little-endian, L2-normalised")
    text_sha1 = models.CharField(max_length=40, help_text="Of the text embedded, to skip unchanged papers")
    paper_changed_at = models.DateTimeField(help_text="The paper's changed_at when embedded")
    computed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"vector of {self.paper_id} by {self.model_id}"


class EmbeddingClaim(models.Model):
    """A paper one embed lane is embedding now: the others leave it alone until ``claimed_until``.

    One row per paper (its primary key), so of two lanes inserting a claim for the same paper
    exactly one wins; a lane that dies leaves claims that run out, and others take them over.
    ``batch`` names one claimed batch (a lane's own claims are those of its batch).
    """

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, primary_key=True, related_name="embedding_claim")
    batch = models.CharField(max_length=100, db_index=True)
    claimed_until = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.paper_id} claimed by {self.batch} until {self.claimed_until:%H:%M:%S}"
