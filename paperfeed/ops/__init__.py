"""Operations: backups, health checks, structured logs and deployment checks."""
