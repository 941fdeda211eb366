"""The Django shell around the core: storage, pages, access checks. The only package importing Django."""
