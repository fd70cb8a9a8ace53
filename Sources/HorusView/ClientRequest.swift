import Foundation

/// A parsed text message from a client. Parsing validates every field the server uses;
/// anything else becomes a `ClientRequestError` that the server reports as a status message.
enum ClientRequest: Equatable {
    case subscribe([(id: UInt32, channelID: UInt32)])
    case unsubscribe([UInt32])

    static func == (a: ClientRequest, b: ClientRequest) -> Bool {
        switch (a, b) {
        case (.subscribe(let x), .subscribe(let y)): return x.map(\.id) == y.map(\.id) && x.map(\.channelID) == y.map(\.channelID)
        case (.unsubscribe(let x), .unsubscribe(let y)): return x == y
        default: return false
        }
    }

    /// Ops of the protocol this server does not offer (it announces no capability for them).
    static let unsupportedOps: Set<String> = ["advertise", "unadvertise", "getParameters", "setParameters",
                                              "subscribeParameterUpdates", "unsubscribeParameterUpdates",
                                              "callService", "subscribeConnectionGraph", "unsubscribeConnectionGraph", "fetchAsset"]

    static func parse(_ text: String) throws -> ClientRequest {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            throw ClientRequestError("message is not valid JSON (\(text.prefix(80)))")
        }
        guard let dict = object as? [String: Any] else { throw ClientRequestError("message is not a JSON object") }
        guard let op = dict["op"] as? String else { throw ClientRequestError("message has no string field 'op'") }
        switch op {
        case "subscribe":
            guard let subs = dict["subscriptions"] as? [Any] else { throw ClientRequestError("subscribe: 'subscriptions' must be an array") }
            return .subscribe(try subs.enumerated().map { i, s in
                guard let s = s as? [String: Any] else { throw ClientRequestError("subscribe: subscriptions[\(i)] is not an object") }
                return (try uint32(s["id"], "subscriptions[\(i)].id"), try uint32(s["channelId"], "subscriptions[\(i)].channelId"))
            })
        case "unsubscribe":
            guard let ids = dict["subscriptionIds"] as? [Any] else { throw ClientRequestError("unsubscribe: 'subscriptionIds' must be an array") }
            return .unsubscribe(try ids.enumerated().map { try uint32($1, "subscriptionIds[\($0)]") })
        case _ where unsupportedOps.contains(op):
            throw ClientRequestError("op '\(op)' is not supported by this server (capabilities: none for it)")
        default:
            throw ClientRequestError("unknown op '\(op.prefix(40))'")
        }
    }

    /// A JSON number that is a whole value in 0...UInt32.max.
    private static func uint32(_ v: Any?, _ field: String) throws -> UInt32 {
        guard let n = v as? NSNumber, String(cString: n.objCType) != "c" else { throw ClientRequestError("\(field) must be a number, got \(String(describing: v ?? "nothing"))") }
        let d = n.doubleValue
        guard d >= 0, d <= Double(UInt32.max), d == d.rounded() else { throw ClientRequestError("\(field) = \(n) is not an unsigned 32-bit integer") }
        return UInt32(d)
    }
}

/// A client message the server refuses, with the reason sent back in a status message.
struct ClientRequestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
