"""Database helpers shared by the feature folders."""
