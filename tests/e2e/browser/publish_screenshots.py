"""Copy the state screenshots from artefacts/ into docs/screenshots, shrunk for the README.

Run after the browser tests: `.venv/bin/python -m tests.e2e.browser.publish_screenshots`.
"""

from __future__ import annotations

from PIL import Image

from tests.e2e.browser.site import REPO, SHOTS

DOCS = REPO / "docs" / "screenshots"
STATES = ["payment-pending", "payment-paid", "payment-expired", "sandbox-read", "sandbox-review",
          "sandbox-done", "dashboard-charges", "dashboard-charge", "dashboard-webhooks"]
WIDTH = {"desktop": 960, "mobile": 390}  # desktop shots are halved in area; phones kept sharp


def publish() -> list[str]:
    """Resize and palette-quantise each state's desktop and mobile shot; returns the names."""
    DOCS.mkdir(parents=True, exist_ok=True)
    written = []
    for state in STATES:
        for viewport, width in WIDTH.items():
            name = f"{state}-{viewport}.png"
            image = Image.open(SHOTS / name).convert("RGB")
            if image.width > width:
                image = image.resize((width, round(image.height * width / image.width)),
                                     Image.Resampling.LANCZOS)
            image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(
                DOCS / name, optimize=True)
            written.append(name)
    return written


if __name__ == "__main__":
    for written in publish():
        print(DOCS / written)
