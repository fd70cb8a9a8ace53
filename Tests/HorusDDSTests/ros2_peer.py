#!/usr/bin/env python3
"""A DDS participant that is not horus: the Python cyclonedds package with the ROS 2 IDL
types of sensor_msgs/msg/Image (as rosidl generates them: module::msg::dds_::Name_).

  ros2_peer.py receive --topic rt/camera/depth --expect expected.json [--cdr sent.cdr]
      reads one Image, checks every field against the JSON (and, with --cdr, that Python's
      own serialization of the sample equals those bytes); prints "ready", then "ok".
  ros2_peer.py count --topic rt/camera/depth --count 20
      reads --count Images, printing "ready", then "image <sec>.<nanosec> <width>x<height> <encoding> <step> <bytes>"
      per sample and "ok" after the last.
  ros2_peer.py send --topic rt/camera/image --fields fields.json --out python.cdr
      waits for a reader, writes the Image a few times, saves Python's serialization.
Exit status 1 with a line naming the field on any mismatch or timeout."""
import argparse
import json
import sys
import time

from cyclonedds.domain import DomainParticipant
from cyclonedds.pub import DataWriter
from cyclonedds.sub import DataReader
from cyclonedds.topic import Topic

from ros2_idl import QOS, Header_, Image_, Time_, wait_for_reader


def image_from(fields):
    return Image_(header=Header_(stamp=Time_(sec=fields["sec"], nanosec=fields["nanosec"]), frame_id=fields["frame_id"]),
                  height=fields["height"], width=fields["width"], encoding=fields["encoding"],
                  is_bigendian=fields["is_bigendian"], step=fields["step"], data=list(bytes.fromhex(fields["data_hex"])))


def fail(message):
    print(f"ros2_peer: {message}", flush=True)
    sys.exit(1)


def receive(args):
    expected = json.load(open(args.expect))
    participant = DomainParticipant(0)
    reader = DataReader(participant, Topic(participant, args.topic, Image_), qos=QOS)
    print("ready", flush=True)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        samples = reader.take(N=1)
        if not samples:
            time.sleep(0.02)
            continue
        got = samples[0]
        checks = {"sec": got.header.stamp.sec, "nanosec": got.header.stamp.nanosec, "frame_id": got.header.frame_id,
                  "height": got.height, "width": got.width, "encoding": got.encoding, "is_bigendian": got.is_bigendian,
                  "step": got.step, "data_hex": bytes(got.data).hex()}
        for key, value in checks.items():
            if value != expected[key]:
                fail(f"field {key}: got {value!r}, expected {expected[key]!r}")
        if args.cdr and got.serialize() != open(args.cdr, "rb").read():
            fail(f"Python's serialization of the received Image differs from the bytes sent ({args.cdr})")
        print("ok", flush=True)
        return
    fail(f"no Image on {args.topic} within {args.timeout} s")


def count(args):
    participant = DomainParticipant(0)
    reader = DataReader(participant, Topic(participant, args.topic, Image_), qos=QOS)
    print("ready", flush=True)
    deadline, seen = time.monotonic() + args.timeout, 0
    while time.monotonic() < deadline and seen < args.count:
        samples = reader.take(N=16)
        if not samples:
            time.sleep(0.02)
            continue
        for got in samples:
            seen += 1
            print(f"image {got.header.stamp.sec}.{got.header.stamp.nanosec:09d} {got.width}x{got.height} {got.encoding} "
                  f"{got.step} {len(got.data)}", flush=True)
    if seen < args.count:
        fail(f"{seen} of {args.count} Images on {args.topic} within {args.timeout} s")
    print("ok", flush=True)


def send(args):
    image = image_from(json.load(open(args.fields)))
    participant = DomainParticipant(0)
    writer = DataWriter(participant, Topic(participant, args.topic, Image_), qos=QOS)
    wait_for_reader(writer, args.topic, args.timeout, "ros2_peer")
    open(args.out, "wb").write(image.serialize())
    print("matched", flush=True)
    for _ in range(args.count):
        writer.write(image)
        time.sleep(0.1)
    time.sleep(0.5)
    print("sent", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["receive", "send", "count"])
    parser.add_argument("--topic", required=True)
    parser.add_argument("--expect")
    parser.add_argument("--cdr")
    parser.add_argument("--fields")
    parser.add_argument("--out")
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()
    {"receive": receive, "send": send, "count": count}[args.mode](args)


if __name__ == "__main__":
    main()
