# The rate-limit events table, renamed from accounts_rateevent by accounts 0002: state only here.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_move_rateevent_to_lib'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RateEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=32)),
                        ('key', models.CharField(max_length=128)),
                        ('at', models.DateTimeField()),
                    ],
                    options={
                        'indexes': [models.Index(fields=['action', 'key', 'at'], name='rate_event_idx')],
                    },
                ),
            ],
        ),
    ]
