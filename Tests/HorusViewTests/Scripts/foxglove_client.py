"""Foxglove WebSocket clients for HorusViewTests, driven by the Swift test over stdin/stdout.

Real third-party client: the `websockets` package. The stalled and mid-frame clients are raw
sockets (they must misbehave at the byte level, which a conforming library will not do).

Usage: foxglove_client.py SCENARIO PORT [ARGS...]; prints one line per event:
  SUBSCRIBED <n>            after the subscribe frames went out
  RESULT <json>             what was received (the Swift side asserts on it)
Every payload is reported as its FNV-1a 64 hash (same as HorusTestSupport.checksum).
"""
import asyncio
import base64
import json
import os
import socket
import struct
import sys

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

SUBPROTOCOL = "foxglove.websocket.v1"


def fnv1a(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def say(tag, value=""):
    print(f"{tag} {value}", flush=True)


async def open_client(port):
    ws = await connect(f"ws://127.0.0.1:{port}/", subprotocols=[SUBPROTOCOL], max_size=None, compression=None)
    info = json.loads(await ws.recv())
    adv = json.loads(await ws.recv())
    return ws, info, adv


def channel_id(adv, topic):
    return next(c["id"] for c in adv["channels"] if c["topic"] == topic)


async def receive_data(ws, count, timeout=30):
    """Reads `count` Message Data frames: [(subscription id, receive time, fnv1a, length)].
    Hashes after the last frame, so a slow pure-Python hash does not make this client slow."""
    frames = []
    while len(frames) < count:
        msg = await asyncio.wait_for(ws.recv(), timeout)
        if isinstance(msg, str):
            continue
        frames.append(msg)
    out = []
    for msg in frames:
        op, sub, ts = struct.unpack_from("<BIQ", msg, 0)
        assert op == 1, f"opcode {op}"
        payload = msg[13:]
        out.append({"sub": sub, "ts": ts, "hash": str(fnv1a(payload)), "len": len(payload)})
    return out


async def basic(port, count):
    ws, info, adv = await open_client(port)
    cid = channel_id(adv, "/test/image")
    await ws.send(json.dumps({"op": "subscribe", "subscriptions": [{"id": 7, "channelId": cid}]}))
    say("SUBSCRIBED", 1)
    data = await receive_data(ws, count)
    await ws.send(json.dumps({"op": "unsubscribe", "subscriptionIds": [7]}))
    say("RESULT", json.dumps({"subprotocol": ws.subprotocol, "serverInfo": info, "advertise": adv, "data": data}))
    # Wait for the test to publish more after the unsubscribe: nothing may arrive.
    extra = []
    try:
        while True:
            msg = await asyncio.wait_for(ws.recv(), 1.5)
            if isinstance(msg, bytes):
                extra.append(len(msg))
    except asyncio.TimeoutError:
        pass
    say("AFTER", json.dumps({"frames": len(extra)}))
    await ws.close()


async def time_frames(port):
    ws, info, _ = await open_client(port)
    say("SUBSCRIBED", 0)
    msg = await asyncio.wait_for(ws.recv(), 20)
    op, ts = struct.unpack("<BQ", msg)
    say("RESULT", json.dumps({"capabilities": info["capabilities"], "op": op, "ts": ts, "len": len(msg)}))
    try:
        await asyncio.wait_for(ws.recv(), 20)
        say("CLOSED", "none")
    except ConnectionClosed as e:
        say("CLOSED", e.rcvd.code if e.rcvd else "no-close-frame")


def ros2_decoder(channel):
    """The mcap-ros2-support decoder of an advertised ros2msg channel (None for others)."""
    if channel["schemaEncoding"] != "ros2msg":
        return None
    from mcap_ros2._dynamic import generate_dynamic
    return generate_dynamic(channel["schemaName"], channel["schema"])[channel["schemaName"]]


def describe_ros2(msg):
    """The fields the Swift test checks, of a decoded OccupancyGrid or Image."""
    h = msg.header
    out = {"frame_id": h.frame_id, "stamp_ns": h.stamp.sec * 1_000_000_000 + h.stamp.nanosec}
    if hasattr(msg, "info"):  # nav_msgs/msg/OccupancyGrid
        data = bytes(b & 0xFF for b in msg.data) if not isinstance(msg.data, (bytes, bytearray)) else bytes(msg.data)
        values = {}
        for b in data:
            v = b - 256 if b > 127 else b
            values[v] = values.get(v, 0) + 1
        out.update({"width": msg.info.width, "height": msg.info.height, "resolution": msg.info.resolution,
                    "origin": [msg.info.origin.position.x, msg.info.origin.position.y],
                    "data_len": len(data), "values": {str(k): n for k, n in sorted(values.items())}})
    else:  # sensor_msgs/msg/Image
        out.update({"width": msg.width, "height": msg.height, "encoding": msg.encoding, "step": msg.step,
                    "is_bigendian": msg.is_bigendian, "data_len": len(msg.data)})
    return out


async def horus_topics(port, topics):
    """A horus graph's view: waits for `topics` to be advertised, subscribes, and decodes one
    frame of each: ros2msg/cdr channels with mcap-ros2-support's decoder built from the
    advertised schema, horus channels as horus records (magic 'HRec', kind, shape)."""
    ws, info, adv = await open_client(port)
    channels = {c["topic"]: c for c in adv["channels"]}
    while not all(t in channels for t in topics):
        msg = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if msg.get("op") == "advertise":
            channels.update({c["topic"]: c for c in msg["channels"]})
    decoders = {t: ros2_decoder(channels[t]) for t in topics}
    subs = [{"id": 10 + i, "channelId": channels[t]["id"]} for i, t in enumerate(topics)]
    await ws.send(json.dumps({"op": "subscribe", "subscriptions": subs}))
    say("SUBSCRIBED", len(subs))
    seen = {}
    while len(seen) < len(topics):
        msg = await asyncio.wait_for(ws.recv(), 60)
        if isinstance(msg, str):
            continue
        op, sub, ts = struct.unpack_from("<BIQ", msg, 0)
        topic = topics[sub - 10]
        ch = channels[topic]
        entry = {"schemaName": ch["schemaName"], "schemaEncoding": ch["schemaEncoding"], "messageEncoding": ch["encoding"]}
        if decoders[topic] is not None:
            entry.update(describe_ros2(decoders[topic](msg[13:])))
        else:
            magic, version, header_size, kind, dtype, ndim = struct.unpack_from("<IHHBBB", msg, 13)
            shape = list(struct.unpack_from(f"<{ndim}I", msg, 13 + 16))
            (payload_bytes,) = struct.unpack_from("<Q", msg, 13 + 120)
            entry.update({"magic": magic, "kind": kind, "shape": shape, "complete": len(msg) - 13 == header_size + payload_bytes})
        seen[topic] = entry
    say("RESULT", json.dumps({"topics": sorted(channels), "seen": seen,
                              "channels": {t: [c["schemaName"], c["schemaEncoding"], c["encoding"]] for t, c in channels.items()}}))
    await ws.close()


async def appear_vanish(port, topic):
    """`horus-run view` over time: connects before `topic` exists, waits for its advertise,
    subscribes and takes one frame, then waits for its unadvertise (its publisher left)."""
    ws, info, adv = await open_client(port)
    say("READY", json.dumps(sorted(c["topic"] for c in adv["channels"])))
    channels = {c["topic"]: c for c in adv["channels"]}
    while topic not in channels:
        msg = json.loads(await asyncio.wait_for(ws.recv(), 90))
        if msg.get("op") == "advertise":
            channels.update({c["topic"]: c for c in msg["channels"]})
    cid = channels[topic]["id"]
    say("ADVERTISED", cid)
    await ws.send(json.dumps({"op": "subscribe", "subscriptions": [{"id": 1, "channelId": cid}]}))
    data = await receive_data(ws, 1, timeout=60)
    say("RECEIVED", data[0]["len"])
    while True:
        msg = await asyncio.wait_for(ws.recv(), 90)
        if isinstance(msg, str):
            m = json.loads(msg)
            if m.get("op") == "unadvertise" and cid in m["channelIds"]:
                break
    say("UNADVERTISED", cid)
    # Nothing more arrives for the withdrawn subscription.
    extra = 0
    try:
        while True:
            msg = await asyncio.wait_for(ws.recv(), 1.5)
            if isinstance(msg, bytes) and struct.unpack_from("<BI", msg, 0)[1] == 1:
                extra += 1
    except asyncio.TimeoutError:
        pass
    say("AFTER", extra)
    await ws.close()


async def many(port, clients, count):
    async def one(i):
        ws, _, adv = await open_client(port)
        await ws.send(json.dumps({"op": "subscribe", "subscriptions": [{"id": 100 + i, "channelId": channel_id(adv, "/test/image")}]}))
        return ws
    sockets = await asyncio.gather(*(one(i) for i in range(clients)))
    say("SUBSCRIBED", clients)
    results = await asyncio.gather(*(receive_data(ws, count) for ws in sockets))
    say("RESULT", json.dumps([[d["hash"] for d in r] for r in results]))
    for ws in sockets:
        await ws.close()


async def malformed(port):
    ws, _, adv = await open_client(port)
    cid = channel_id(adv, "/test/image")
    probes = [
        "this is not json",
        "[1, 2, 3]",
        json.dumps({"no": "op"}),
        json.dumps({"op": "bogus"}),
        json.dumps({"op": "subscribe", "subscriptions": [{"id": 1, "channelId": 999}]}),
        json.dumps({"op": "subscribe", "subscriptions": [{"id": "x", "channelId": cid}]}),
        json.dumps({"op": "subscribe", "subscriptions": [{"id": -1, "channelId": cid}]}),
        json.dumps({"op": "subscribe", "subscriptions": "all"}),
        json.dumps({"op": "unsubscribe", "subscriptionIds": [42]}),
        json.dumps({"op": "getParameters", "parameterNames": []}),
        b"\x01binary from a client",
    ]
    statuses = []
    for p in probes:
        await ws.send(p)
        statuses.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
    # Still serving: a valid subscription gets data.
    await ws.send(json.dumps({"op": "subscribe", "subscriptions": [{"id": 3, "channelId": cid}]}))
    say("SUBSCRIBED", 1)
    data = await receive_data(ws, 1)
    # Without the subprotocol the upgrade is refused.
    refused = None
    try:
        c = await connect(f"ws://127.0.0.1:{port}/", subprotocols=["not.foxglove"])
        refused = "accepted"
        await c.close()
    except Exception as e:  # websockets.exceptions.InvalidStatus / NegotiationError
        refused = type(e).__name__
    say("RESULT", json.dumps({"statuses": statuses, "data": data, "refused": refused}))
    await ws.close()


# --- raw-socket clients (misbehaving on purpose) -----------------------------------------

def raw_connect(port, rcvbuf=None):
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {SUBPROTOCOL}\r\n\r\n").encode())
    resp = b""
    while b"\r\n\r\n" not in resp:
        resp += s.recv(1)  # byte by byte: do not swallow the first frames
    assert b" 101 " in resp.split(b"\r\n")[0], resp
    return s


def raw_read_frame(s):
    def exact(n):
        b = b""
        while len(b) < n:
            c = s.recv(n - len(b))
            assert c, "closed"
            b += c
        return b
    h = exact(2)
    n = h[1] & 0x7F
    if n == 126:
        n = struct.unpack(">H", exact(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", exact(8))[0]
    return h[0] & 0x0F, exact(n)


def raw_frame(opcode, payload: bytes, length=None):
    mask = os.urandom(4)
    n = len(payload) if length is None else length
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack(">H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack(">Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def raw_subscribe(port, topic, sub_id, rcvbuf=None):
    s = raw_connect(port, rcvbuf)
    raw_read_frame(s)  # serverInfo
    _, adv = raw_read_frame(s)
    cid = channel_id(json.loads(adv), topic)
    s.sendall(raw_frame(1, json.dumps({"op": "subscribe", "subscriptions": [{"id": sub_id, "channelId": cid}]}).encode()))
    return s


def stalled(port):
    """Subscribes, then never reads again (tiny receive buffer) until stdin closes."""
    s = raw_subscribe(port, "/test/image", 1, rcvbuf=4096)
    say("SUBSCRIBED", 1)
    sys.stdin.readline()
    s.close()


async def fast(port, count):
    ws, _, adv = await open_client(port)
    await ws.send(json.dumps({"op": "subscribe", "subscriptions": [{"id": 2, "channelId": channel_id(adv, "/test/image")}]}))
    say("SUBSCRIBED", 1)
    data = await receive_data(ws, count, timeout=60)
    say("RESULT", json.dumps([d["hash"] for d in data]))
    await ws.close()


def midframe(port):
    """Two clients that vanish mid-frame: one while sending a frame, one while receiving one."""
    a = raw_connect(port)
    raw_read_frame(a)
    raw_read_frame(a)
    a.sendall(raw_frame(1, b'{"op": "subscr', length=4096))  # header promises 4096 bytes, 14 arrive
    a.close()
    b = raw_subscribe(port, "/test/image", 5, rcvbuf=4096)
    say("SUBSCRIBED", 1)
    # Read part of the first (large) data frame, then drop the connection with the rest in flight.
    got = 0
    while got < 1000:
        got += len(b.recv(1000 - got))
    b.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, not FIN
    b.close()
    say("RESULT", json.dumps({"read": got}))


def main():
    scenario, port = sys.argv[1], int(sys.argv[2])
    if scenario == "horus":
        asyncio.run(horus_topics(port, sys.argv[3:]))
        return
    if scenario == "vanish":
        asyncio.run(appear_vanish(port, sys.argv[3]))
        return
    args = [int(a) for a in sys.argv[3:]]
    if scenario == "basic":
        asyncio.run(basic(port, *args))
    elif scenario == "time":
        asyncio.run(time_frames(port))
    elif scenario == "many":
        asyncio.run(many(port, *args))
    elif scenario == "malformed":
        asyncio.run(malformed(port))
    elif scenario == "stalled":
        stalled(port)
    elif scenario == "fast":
        asyncio.run(fast(port, *args))
    elif scenario == "midframe":
        midframe(port)
    else:
        raise SystemExit(f"unknown scenario {scenario}")


if __name__ == "__main__":
    main()
