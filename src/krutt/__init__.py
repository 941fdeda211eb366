"""krutt: where a sales manager's time goes, measured against the policy."""

__version__ = "0.1.0"
