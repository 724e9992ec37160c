"""Refunds (devoluções): partial or total, never above what was paid, within 90 days."""
