"""Realtime: one Socket.IO room per payment; events reach only that payment's pages."""


def room_for(charge_id: int) -> str:
    """The room a payment's pages join."""
    return f"payment:{charge_id}"
