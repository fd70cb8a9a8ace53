#ifndef HORUS_OBSTACLE_ALERT_H
#define HORUS_OBSTACLE_ALERT_H
/*
 * ObstacleAlert: a plain struct message (plugin ABI 1.1) saying how close the nearest
 * obstacle is. Declared here once so C plugins and Swift (which imports this struct and
 * makes it a topic message type) share one layout.
 */
#include <stdint.h>

typedef struct horus_obstacle_alert {
  /** Capture time of the data the alert was computed from, ns. */
  uint64_t timestamp_ns;
  /** Distance to the nearest obstacle point, meters (0 when none). */
  float distance_m;
  /** Bearing of that point, radians, positive to the left of the optical axis. */
  float bearing_rad;
  /** Pixels (or points) closer than the alert distance. */
  uint32_t close_count;
  /** 0 clear, 1 warning (closer than the alert distance), 2 stop (closer than half of it). */
  uint32_t level;
} horus_obstacle_alert_t;

#endif
