"""The ROS 2 IDL types the non-horus DDS peers use, as rosidl generates them for DDS
(module::msg::dds_::Name_), the QoS they read and write with, and their wait for a matching
reader: one definition for ros2_peer.py (sensor_msgs/Image) and ros2_grid_peer.py
(nav_msgs/OccupancyGrid)."""
import sys
import time
from dataclasses import dataclass

from cyclonedds.core import Qos, Policy
from cyclonedds.idl import IdlStruct
from cyclonedds.idl.types import int8, int32, uint8, uint32, float32, float64, sequence
from cyclonedds.util import duration


@dataclass
class Time_(IdlStruct, typename="builtin_interfaces::msg::dds_::Time_"):
    sec: int32
    nanosec: uint32


@dataclass
class Header_(IdlStruct, typename="std_msgs::msg::dds_::Header_"):
    stamp: Time_
    frame_id: str


@dataclass
class Image_(IdlStruct, typename="sensor_msgs::msg::dds_::Image_"):
    header: Header_
    height: uint32
    width: uint32
    encoding: str
    is_bigendian: uint8
    step: uint32
    data: sequence[uint8]


@dataclass
class Point_(IdlStruct, typename="geometry_msgs::msg::dds_::Point_"):
    x: float64
    y: float64
    z: float64


@dataclass
class Quaternion_(IdlStruct, typename="geometry_msgs::msg::dds_::Quaternion_"):
    x: float64
    y: float64
    z: float64
    w: float64


@dataclass
class Pose_(IdlStruct, typename="geometry_msgs::msg::dds_::Pose_"):
    position: Point_
    orientation: Quaternion_


@dataclass
class MapMetaData_(IdlStruct, typename="nav_msgs::msg::dds_::MapMetaData_"):
    map_load_time: Time_
    resolution: float32
    width: uint32
    height: uint32
    origin: Pose_


@dataclass
class OccupancyGrid_(IdlStruct, typename="nav_msgs::msg::dds_::OccupancyGrid_"):
    header: Header_
    info: MapMetaData_
    data: sequence[int8]


QOS = Qos(Policy.Reliability.Reliable(duration(milliseconds=100)), Policy.History.KeepLast(10),
          Policy.DataRepresentation(use_cdrv0_representation=True))


def wait_for_reader(writer, topic, timeout, program):
    """Returns once a reader matches `writer`; exits 1 with a line naming `program` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while writer.get_publication_matched_status().current_count == 0:
        if time.monotonic() > deadline:
            print(f"{program}: no reader matched {topic} within {timeout} s", flush=True)
            sys.exit(1)
        time.sleep(0.05)
