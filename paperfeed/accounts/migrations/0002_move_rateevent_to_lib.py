# Rate-limit events moved to the lib app (every app's writes share them); the rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable('RateEvent', 'lib_rateevent')],
            state_operations=[migrations.DeleteModel('RateEvent')],
        ),
    ]
