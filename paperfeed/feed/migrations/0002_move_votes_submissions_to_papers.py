# Votes and submissions moved to the papers app (the store owns every shared read); the rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('feed', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable('Vote', 'papers_vote'),
                migrations.AlterModelTable('Submission', 'papers_submission'),
            ],
            state_operations=[
                migrations.DeleteModel('Vote'),
                migrations.DeleteModel('Submission'),
            ],
        ),
    ]
