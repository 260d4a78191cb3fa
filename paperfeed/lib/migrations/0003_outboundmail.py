from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lib', '0002_cache_table'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutboundMail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(help_text='confirm, manage, password-reset, ...', max_length=32)),
                ('to', models.EmailField(max_length=254)),
                ('subject', models.CharField(max_length=500)),
                ('text', models.TextField()),
                ('html', models.TextField(blank=True)),
                ('headers', models.JSONField(blank=True, default=dict, help_text='Message-ID included, fixed when queued')),
                ('state', models.CharField(choices=[('pending', 'pending'), ('sending', 'sending'), ('sent', 'sent'), ('failed', 'failed'), ('cancelled', 'cancelled')], default='pending', max_length=20)),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('next_try_at', models.DateTimeField()),
                ('lease_until', models.DateTimeField(blank=True, null=True)),
                ('last_error', models.TextField(blank=True, help_text='For operators only; never shown to visitors')),
                ('created_at', models.DateTimeField()),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'indexes': [models.Index(fields=['kind', 'to', 'created_at'], name='mail_recipient_idx'), models.Index(fields=['state', 'next_try_at'], name='mail_due_idx')],
            },
        ),
    ]
