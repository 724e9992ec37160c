"""Socket.IO room bookkeeping that stays O(1) per disconnect, for processes holding many pages.

python-socketio's manager finds a leaving client's rooms by copying and scanning every room of
the namespace. Each page is in two rooms (its sid's and its payment's), so when 10,000 pages
go at once (a deploy, a network blip) that is 10,000 scans of 20,000 rooms: the capacity
benchmark measured 45 s of a blocked event loop. This mixin keeps a sid -> rooms index beside
the library's own structures and leaves exactly the client's rooms; everything else (emit,
pub/sub, pending connects) is the library's code, unchanged.
"""

from __future__ import annotations

from typing import Any

from socketio.base_manager import BaseManager

Key = tuple[str, str]  # (namespace, sid)


class IndexedRoomsMixin:
    """Mix in front of a python-socketio manager class (BaseManager or a pub/sub subclass)."""

    rooms: dict[str, dict[Any, Any]]
    callbacks: dict[str, Any]
    pending_connect: dict[str, list[str]]
    pending_disconnect: dict[str, list[str]]

    def _index(self) -> dict[Key, set[Any]]:
        index = self.__dict__.get("_rooms_of")
        if index is None:
            index = self.__dict__["_rooms_of"] = {}
        return index

    def basic_enter_room(self, sid: str, namespace: str, room: Any, eio_sid: Any = None) -> None:
        """The library's join, then remember the room under the client."""
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)  # type: ignore[misc]
        self._index().setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid: str, namespace: str, room: Any) -> None:
        """The library's leave, then forget the room under the client."""
        super().basic_leave_room(sid, namespace, room)  # type: ignore[misc]
        joined = self._index().get((namespace, sid))
        if joined is not None:
            joined.discard(room)
            if not joined:
                del self._index()[(namespace, sid)]

    def get_rooms(self, sid: str, namespace: str) -> list[Any]:
        """The client's rooms, from the index instead of a scan."""
        return [room for room in self._index().get((namespace, sid), ()) if room is not None]

    def basic_disconnect(self, sid: str, namespace: str, **_kwargs: Any) -> None:
        """Leave the client's own rooms, then the library's clean-up of its other tables."""
        if namespace not in self.rooms:
            return
        for room in list(self._index().get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            waiting = pending.get(namespace)
            if waiting is not None and sid in waiting:
                waiting.remove(sid)
                if not waiting:
                    del pending[namespace]


def index_rooms(manager: BaseManager) -> BaseManager:
    """Give an unused manager instance the indexed bookkeeping (same class, same settings)."""
    if isinstance(manager, IndexedRoomsMixin):
        return manager
    if any(manager.rooms.values()):
        raise RuntimeError("index the Socket.IO manager before the first connection")
    cls = type(manager)
    manager.__class__ = type(f"Indexed{cls.__name__}", (IndexedRoomsMixin, cls), {})
    return manager
