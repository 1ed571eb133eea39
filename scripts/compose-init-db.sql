-- docker-compose: mailsync's own database beside Temporal's.
CREATE DATABASE mailsync;
