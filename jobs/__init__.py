"""RQ tasks and the periodic schedule."""
