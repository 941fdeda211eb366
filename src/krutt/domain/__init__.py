"""The rules a sales manager would recognise, as plain typed Python (no Django)."""
