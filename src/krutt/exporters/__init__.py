"""Write-only adapters: domain values → files other tools read (calendar .ics, CSV). Never save, never fetch."""
