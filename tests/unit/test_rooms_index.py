"""The indexed room bookkeeping behaves exactly like python-socketio's, minus the scans."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from socketio import Manager

from pixgate.ops.rooms_index import IndexedRoomsMixin, index_rooms


class _Packets:
    json = json


class _Eio:
    def __init__(self) -> None:
        self.ids = itertools.count(1)

    def generate_id(self) -> str:
        return f"sid{next(self.ids)}"


class _Server:
    packet_class = _Packets

    def __init__(self) -> None:
        self.eio = _Eio()


def _manager(indexed: bool) -> Manager:
    manager = Manager()
    manager.set_server(_Server())
    return index_rooms(manager) if indexed else manager


def _snapshot(manager: Manager) -> dict[str, dict[Any, dict[str, str]]]:
    return {ns: {room: dict(members) for room, members in rooms.items()}
            for ns, rooms in manager.rooms.items()}


OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["connect", "enter", "leave", "disconnect", "close"]),
    st.integers(0, 5),               # which client
    st.sampled_from(["/", "/x"]),    # namespace
    st.sampled_from(["payment:1", "payment:2", "payment:3"]),
), max_size=60)


@settings(max_examples=200, deadline=None)
@given(OPERATIONS)
def test_same_rooms_as_the_library_after_any_sequence(operations: list) -> None:
    plain, indexed = _manager(False), _manager(True)
    sids: dict[tuple[int, str], str] = {}
    for op, client, ns, room in operations:
        for manager in (plain, indexed):
            sid = sids.get((client, ns))
            if op == "connect" and sid is None:
                new = manager.connect(f"eio{client}", ns)
                if manager is indexed and new is not None:
                    sids[(client, ns)] = new
            elif sid is not None and op == "enter" and manager.is_connected(sid, ns):
                manager.enter_room(sid, ns, room)
            elif sid is not None and op == "leave":
                manager.leave_room(sid, ns, room)
            elif sid is not None and op == "disconnect":
                manager.disconnect(sid, ns)
                if manager is indexed:
                    sids.pop((client, ns))
            elif op == "close":
                manager.close_room(room, ns)
        assert _snapshot(indexed) == _snapshot(plain)
        for (_, ns), sid in sids.items():
            assert sorted(indexed.get_rooms(sid, ns), key=str) == sorted(
                plain.get_rooms(sid, ns), key=str)
    assert indexed.pending_connect == plain.pending_connect
    assert indexed.callbacks == plain.callbacks


def test_ten_thousand_pages_leave_in_well_under_a_second() -> None:
    manager = _manager(True)
    sids = []
    for i in range(10_000):
        sid = manager.connect(f"eio{i}", "/")
        manager.enter_room(sid, "/", f"payment:{i}")
        sids.append(sid)
    started = time.perf_counter()
    for sid in sids:
        manager.disconnect(sid, "/")
    assert time.perf_counter() - started < 1.0  # the library's scan took ~20 s here
    assert manager.rooms == {} and manager.get_rooms(sids[0], "/") == []


def test_only_an_unused_manager_can_be_indexed() -> None:
    manager = _manager(False)
    manager.connect("eio1", "/")
    try:
        index_rooms(manager)
    except RuntimeError:
        pass
    else:
        raise AssertionError("a manager with clients must not be re-classed")
    fresh = _manager(True)
    assert isinstance(fresh, IndexedRoomsMixin) and index_rooms(fresh) is fresh
