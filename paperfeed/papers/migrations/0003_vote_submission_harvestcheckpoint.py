# Votes, submissions (from feed) and harvest checkpoints (from jobs) join the store: their tables
# are renamed by feed 0002 and jobs 0003, so this only records them in the papers app's state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('papers', '0002_paper_is_hidden'),
        ('feed', '0002_move_votes_submissions_to_papers'),
        ('jobs', '0003_move_harvestcheckpoint_to_papers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Submission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('submitted_at', models.DateTimeField(db_index=True)),
                        ('paper', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='submission', to='papers.paper')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='submissions', to=settings.AUTH_USER_MODEL)),
                    ],
                ),
                migrations.CreateModel(
                    name='Vote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField()),
                        ('paper', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='papers.paper')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'indexes': [models.Index(fields=['paper', 'created_at'], name='vote_paper_idx')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'paper'), name='vote_one_per_user_paper')],
                    },
                ),
                migrations.CreateModel(
                    name='HarvestCheckpoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(max_length=50)),
                        ('key', models.CharField(help_text="The request's arguments, e.g. set=cs from=2026-02-02", max_length=500)),
                        ('cursor', models.TextField(blank=True, help_text='Resumption token or start index of the next page; empty: first')),
                        ('status', models.CharField(choices=[('running', 'running'), ('done', 'done'), ('failed', 'failed')], default='running', max_length=20)),
                        ('pages', models.PositiveIntegerField(default=0)),
                        ('added', models.PositiveIntegerField(default=0)),
                        ('updated', models.PositiveIntegerField(default=0)),
                        ('unchanged', models.PositiveIntegerField(default=0)),
                        ('rejected', models.PositiveIntegerField(default=0)),
                        ('expected', models.PositiveIntegerField(blank=True, help_text='completeListSize or totalResults', null=True)),
                        ('message', models.TextField(blank=True)),
                        ('started_at', models.DateTimeField()),
                        ('updated_at', models.DateTimeField()),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('source', 'key'), name='checkpoint_source_key')],
                    },
                ),
            ],
        ),
        migrations.AddField(
            model_name='submission',
            name='fetched',
            field=models.BooleanField(default=False, help_text='The paper was fetched from arXiv for this submission: it came in by it alone'),
        ),
    ]
