import CHorus
import HorusGraph

/// ABI 1.1 host services: plain struct messages, copied by value (they are small and travel
/// through the ring by value anyway; no pool slot, no handle).
extension HostServices {
    static func takeStruct(_ host: UnsafePointer<horus_host_t>?, _ port: Int32, _ mode: Int32,
                           _ out: UnsafeMutableRawPointer?, _ size: UInt64) -> Int32 {
        guard let node = node(host) else { return Status.state.rawValue }
        guard let out, port >= 0, Int(port) < node.ports.count,
              mode == Int32(HORUS_TAKE_NEXT.rawValue) || mode == Int32(HORUS_TAKE_LATEST.rawValue),
              case .input(let kind, let bound) = node.ports[Int(port)] else { return Status.invalid.rawValue }
        guard kind.rawValue == HORUS_KIND_STRUCT else {
            node.lastError = "take_struct: port \(port) carries \(node.spec.ports[Int(port)].messageType), not a struct (use take)"
            return Status.invalid.rawValue
        }
        guard let bound else { return Status.empty.rawValue }
        guard case .plain(let p, let support) = bound else { return Status.invalid.rawValue }
        guard size == UInt64(support.size) else {
            node.lastError = "take_struct: size \(size) but '\(node.spec.ports[Int(port)].messageType)' is \(support.size) bytes"
            return Status.invalid.rawValue
        }
        return support.take(p, mode == Int32(HORUS_TAKE_LATEST.rawValue), out) ? Status.ok.rawValue : Status.empty.rawValue
    }

    static func publishStruct(_ host: UnsafePointer<horus_host_t>?, _ port: Int32,
                              _ data: UnsafeRawPointer?, _ size: UInt64) -> Int32 {
        guard let node = node(host) else { return Status.state.rawValue }
        guard let data, port >= 0, Int(port) < node.ports.count,
              case .output(let kind, let bound) = node.ports[Int(port)] else { return Status.invalid.rawValue }
        guard kind.rawValue == HORUS_KIND_STRUCT else {
            node.lastError = "publish_struct: port \(port) carries \(node.spec.ports[Int(port)].messageType), not a struct (use publish)"
            return Status.invalid.rawValue
        }
        guard let bound else { return Status.ok.rawValue }  // unwired output: dropped
        guard case .plain(let p, let support) = bound else { return Status.invalid.rawValue }
        guard size == UInt64(support.size) else {
            node.lastError = "publish_struct: size \(size) but '\(node.spec.ports[Int(port)].messageType)' is \(support.size) bytes"
            return Status.invalid.rawValue
        }
        do { try support.publish(p, data) } catch {
            node.lastError = "publish on '\(node.spec.ports[Int(port)].name)' failed: \(error)"
            return Status.publish.rawValue
        }
        return Status.ok.rawValue
    }
}
