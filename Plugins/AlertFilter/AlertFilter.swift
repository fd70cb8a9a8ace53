// alert_filter: a Swift plugin reading and writing the ObstacleAlert struct message (plugin
// ABI 1.1). It passes on the alerts of at least `min_level` (0 clear, 1 warning, 2 stop) and
// counts the ones it drops; the struct is the C layout `horus_obstacle_alert_t` from CHorus,
// the same one the C plugin obstacle_detector and horus's Swift `ObstacleAlert` use.
import CHorus
import HorusPluginKit

final class AlertFilter: PluginNodeType {
    static let typeName = "alert_filter"
    static let doc = "Passes on ObstacleAlerts of at least min_level"
    static let ports: [PluginPort] = [
        .input("alert", .struct("ObstacleAlert"), doc: "alerts to filter"),
        .output("passed", .struct("ObstacleAlert"), doc: "alerts of level >= min_level"),
    ]
    static let params: [PluginParam] = [
        .int("min_level", default: 1, min: 0, max: 2, doc: "lowest level passed on"),
    ]
    static let defaultTrigger: PluginTrigger? = .input("alert")

    static let alertPort: Int32 = 0, passedPort: Int32 = 1
    private var minLevel: UInt32 = 1
    private var dropped = 0

    init(host: PluginHost) throws {}

    func configure(_ host: PluginHost) throws {
        minLevel = UInt32(host.int("min_level") ?? 1)
    }

    func tick(_ host: PluginHost) throws {
        while let alert = try host.takeStruct(Self.alertPort, as: horus_obstacle_alert_t.self) {
            if alert.level >= minLevel { try host.publishStruct(Self.passedPort, alert) } else { dropped += 1 }
        }
    }

    func stop(_ host: PluginHost) { host.log("dropped \(dropped) alerts below level \(minLevel)") }
}

let plugin = HorusPluginExport(name: "alert_filter", version: "1.0.0", nodeTypes: [AlertFilter.self],
                               structTypes: [PluginStructType("ObstacleAlert", horus_obstacle_alert_t.self, doc: "nearest obstacle")])

@_cdecl("horus_plugin_entry")
public func horusPluginEntry() -> UnsafeRawPointer { plugin.entry }
