"""Use cases: one keyword-only function per module; outside needs arrive as ports."""
