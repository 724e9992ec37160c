"""The sandbox payer: pays BR Codes the way a bank app would, through the normal service path."""
