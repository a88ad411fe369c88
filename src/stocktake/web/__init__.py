"""What the pages and the API share: sessions, the principal, CSRF, templates and error responses."""
