"""The `krutt` command: parse, call one use case, print; errors become one line on stderr."""
