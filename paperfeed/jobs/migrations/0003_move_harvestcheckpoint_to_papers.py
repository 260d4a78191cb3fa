# Harvest checkpoints moved to the papers app (the harvests that write them live there); the rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0002_job_node'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable('HarvestCheckpoint', 'papers_harvestcheckpoint')],
            state_operations=[migrations.DeleteModel('HarvestCheckpoint')],
        ),
    ]
