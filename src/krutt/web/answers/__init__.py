"""The JSON answers `krutt … --json` prints and the HTTP API returns: one builder, one contract."""
