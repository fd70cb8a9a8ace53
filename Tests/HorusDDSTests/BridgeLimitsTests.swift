import HorusBridge
import HorusGraph
import XCTest

/// The graph validator checks `bridge:` values against `GraphLimits` (HorusGraph cannot see
/// HorusBridge): those bounds must be the ones `BridgeSpec.validate` enforces at run time.
final class BridgeLimitsTests: XCTestCase {
    func testGraphBoundsAreTheBridgesBounds() {
        XCTAssertEqual(GraphLimits.bridgeDomain.lowerBound, Int(BridgeSpec.domainRange.lowerBound))
        XCTAssertEqual(GraphLimits.bridgeDomain.upperBound, Int(BridgeSpec.domainRange.upperBound))
        XCTAssertEqual(GraphLimits.bridgeDepth.lowerBound, Int(BridgeQoS.depthRange.lowerBound))
        XCTAssertEqual(GraphLimits.bridgeDepth.upperBound, Int(BridgeQoS.depthRange.upperBound))
        XCTAssertEqual(GraphLimits.bridgeMaxRateLimitHz, BridgeQoS.maxRateLimitHz)
        // And the bridge enforces them: the first value past each bound is refused.
        XCTAssertThrowsError(try BridgeSpec(domain: BridgeSpec.domainRange.upperBound + 1, exports: [BridgeExport(topic: "/a")]).validate())
        XCTAssertThrowsError(try BridgeSpec(exports: [BridgeExport(topic: "/a", qos: BridgeQoS(depth: BridgeQoS.depthRange.upperBound + 1))]).validate())
        XCTAssertThrowsError(try BridgeSpec(exports: [BridgeExport(topic: "/a", qos: BridgeQoS(rateLimitHz: BridgeQoS.maxRateLimitHz * 1.001))]).validate())
        XCTAssertNoThrow(try BridgeSpec(domain: BridgeSpec.domainRange.upperBound,
                                        exports: [BridgeExport(topic: "/a", qos: BridgeQoS(depth: BridgeQoS.depthRange.upperBound, rateLimitHz: BridgeQoS.maxRateLimitHz))]).validate())
    }

    func testTopicNameRuleIsTheOneGraphsAreCheckedWith() {
        XCTAssertNil(BridgeTopicName.problem("/map/costmap_2"))
        XCTAssertEqual(BridgeTopicName.problem("/map/cost-map"), "cannot be bridged: a ROS 2 name is '/' followed by segments of letters, digits and '_'")
    }
}
