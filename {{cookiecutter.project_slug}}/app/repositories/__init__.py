"""Data access: repositories add, flush and query; the request's session dependency commits."""
