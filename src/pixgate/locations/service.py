"""Create, read and unlink locations; the cob service links them."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pixgate.charges.errors import Conflict, InvalidInput, NotFound
from pixgate.charges.models import Charge
from pixgate.locations.models import Location

PATH = "/qr/v2/"
KINDS = ("cob", "cobv")  # a cobv's location is /qr/v2/cobv/<token> (BCB: GET /cobv/{token})


def location_for(public_url: str, token: str, kind: str = "cob") -> str:
    """`host[:port]/qr/v2/[cobv/]<token>`: what a bank app fetches (https in production)."""
    parts = urlsplit(public_url)
    base = (parts.netloc + parts.path.rstrip("/")) or "localhost"
    value = f"{base}{PATH}{'cobv/' if kind == 'cobv' else ''}{token}"
    if len(value) > 77:
        raise InvalidInput("PIXGATE_PUBLIC_URL", "is too long for a 77-character location")
    return value


def create_location(session: Session, *, public_url: str, kind: str = "cob") -> Location:
    """A new, unlinked location."""
    if kind not in KINDS:
        raise InvalidInput("tipoCob", "must be cob or cobv")
    token = secrets.token_hex(16)
    location = Location(token=token, location=location_for(public_url, token, kind), kind=kind)
    session.add(location)
    session.commit()
    return location


def get_location(session: Session, *, location_id: int) -> Location:
    """A location by id, or NotFound."""
    location = session.get(Location, location_id) if 0 < location_id <= 2**31 - 1 else None
    if location is None:
        raise NotFound(f"location {location_id} does not exist")
    return location


def get_by_token(session: Session, *, token: str) -> Location:
    """The location a bank app fetched, or NotFound."""
    location = session.scalar(select(Location).where(Location.token == token))
    if location is None:
        raise NotFound("no payload at this location")
    return location


def linked_charge(session: Session, location: Location) -> Charge | None:
    """The cob currently using this location, if any."""
    return session.scalar(select(Charge).where(Charge.location_id == location.id))


def unlink(session: Session, *, location_id: int) -> Location:
    """Detach the location from its cob (the cob keeps its BR Code history)."""
    location = get_location(session, location_id=location_id)
    session.execute(
        update(Charge).where(Charge.location_id == location.id).values(location_id=None)
    )
    session.commit()
    return location


def claim_for_cob(session: Session, *, location_id: int, kind: str = "cob") -> Location:
    """A location to link to a new cob (or cobv); one in use or of the other kind is refused."""
    location = get_location(session, location_id=location_id)
    if location.kind != kind:
        raise InvalidInput("loc.id", f"location {location_id} is of type {location.kind!r}, "
                           f"not {kind!r}")
    if linked_charge(session, location) is not None:
        raise Conflict(f"location {location_id} is already linked to a cob", field="loc.id")
    return location
