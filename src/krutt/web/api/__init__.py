"""The HTTP API (/api/v1/): the same use cases and scope as the web, described by OpenAPI."""
