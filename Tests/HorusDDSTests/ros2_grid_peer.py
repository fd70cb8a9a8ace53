#!/usr/bin/env python3
"""A non-horus DDS participant for the bridge tests: Python cyclonedds with the ROS 2 IDL type
nav_msgs/msg/OccupancyGrid (nav_msgs::msg::dds_::OccupancyGrid_, as rosidl generates it).

  ros2_grid_peer.py receive --topic rt/map/costmap --count N
      prints "ready", then "grid <stamp_ns> <fnv1a of data> <width>x<height> <resolution> <frame_id>" per sample.
  ros2_grid_peer.py send-bad --topic rt/map/costmap
      writes samples of a type with the same name whose CDR is not an OccupancyGrid (a bridge
      must count and drop them); prints "sent".
Exit status 1 with a line naming the problem on timeout."""
import argparse
import sys
import time
from dataclasses import dataclass

from cyclonedds.domain import DomainParticipant
from cyclonedds.idl import IdlStruct
from cyclonedds.idl.types import uint32
from cyclonedds.pub import DataWriter
from cyclonedds.sub import DataReader
from cyclonedds.topic import Topic

from ros2_idl import QOS, OccupancyGrid_, wait_for_reader


@dataclass
class NotAGrid(IdlStruct, typename="nav_msgs::msg::dds_::OccupancyGrid_"):
    junk: uint32


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def receive(args):
    participant = DomainParticipant(0)
    reader = DataReader(participant, Topic(participant, args.topic, OccupancyGrid_), qos=QOS)
    print("ready", flush=True)
    deadline = time.monotonic() + args.timeout
    seen = 0
    while seen < args.count and time.monotonic() < deadline:
        samples = reader.take(N=10)
        if not samples:
            time.sleep(0.02)
            continue
        for g in samples:
            stamp = g.header.stamp.sec * 1_000_000_000 + g.header.stamp.nanosec
            data = bytes(x & 0xff for x in g.data)
            print(f"grid {stamp} {fnv1a(data)} {g.info.width}x{g.info.height} {g.info.resolution:.3f} {g.header.frame_id}", flush=True)
            seen += 1
    if seen < args.count:
        print(f"ros2_grid_peer: {seen} of {args.count} grids on {args.topic} within {args.timeout} s", flush=True)
        sys.exit(1)


def send_bad(args):
    participant = DomainParticipant(0)
    writer = DataWriter(participant, Topic(participant, args.topic, NotAGrid), qos=QOS)
    wait_for_reader(writer, args.topic, args.timeout, "ros2_grid_peer")
    for i in range(args.count):
        writer.write(NotAGrid(junk=i))
        time.sleep(0.05)
    time.sleep(1.0)
    print("sent", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["receive", "send-bad"])
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    receive(args) if args.mode == "receive" else send_bad(args)


if __name__ == "__main__":
    main()
