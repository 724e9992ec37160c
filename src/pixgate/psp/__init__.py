"""The seam between the charge service and the merchant's bank (PSP) over BCB's API Pix."""
