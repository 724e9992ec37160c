"""Charges: the one service every entry point calls to create, pay and read payments."""
