"""Charges with a due date (BCB cobv): terms, business days, the amount due on a date, batches.

`calendar` and `amount` are pure (no Flask, no database); the rest is the cobv service.
"""
