"""The worker: scheduled jobs claimed from the database, and their runs and checkpoints."""
