"""`make bench`: performance targets measured as ratios against a baseline from the same run."""
