/// Declaration of a node type (built-in or from a plugin): its ports, parameters and default trigger.
public struct NodeTypeSpec: Sendable, Hashable {
    /// Type name used in the graph's `type:` key.
    public var name: String
    /// One-line description.
    public var doc: String
    /// Input and output ports, in declaration order.
    public var ports: [PortSpec]
    /// Parameters, in declaration order.
    public var params: [ParamSpec]
    /// Trigger used when the graph sets neither `rate` nor `trigger`; nil means
    /// "any input" for nodes with wired inputs and "must set rate" for sources.
    public var defaultTrigger: NodeTrigger?
    /// Pool slot sizes its outputs need (checked against the pool's classes by the validator).
    public var slotDemands: [SlotDemand]

    /// Creates a node type declaration.
    public init(name: String, doc: String = "", ports: [PortSpec] = [], params: [ParamSpec] = [],
                defaultTrigger: NodeTrigger? = nil, slotDemands: [SlotDemand] = []) {
        self.name = name
        self.doc = doc
        self.ports = ports
        self.params = params
        self.defaultTrigger = defaultTrigger
        self.slotDemands = slotDemands
    }

    /// Input ports in declaration order.
    public var inputs: [PortSpec] { ports.filter { $0.direction == .input } }
    /// Output ports in declaration order.
    public var outputs: [PortSpec] { ports.filter { $0.direction == .output } }

    /// The input port named `name`.
    public func input(_ name: String) -> PortSpec? { inputs.first { $0.name == name } }
    /// The output port named `name`.
    public func output(_ name: String) -> PortSpec? { outputs.first { $0.name == name } }
    /// The parameter named `name`.
    public func param(_ name: String) -> ParamSpec? { params.first { $0.name == name } }

    /// Internal-consistency problems (duplicate names, defaults of the wrong type or out of range,
    /// a default trigger naming an unknown input). Empty when the declaration is sound.
    public func problems() -> [String] {
        var out: [String] = []
        if name.isEmpty { out.append("node type name is empty") }
        var seenPorts = Set<String>()
        for port in ports where !seenPorts.insert("\(port.direction):\(port.name)").inserted {
            out.append("duplicate \(port.direction.rawValue) port '\(port.name)'")
        }
        var seenParams = Set<String>()
        for param in params {
            if !seenParams.insert(param.name).inserted { out.append("duplicate param '\(param.name)'") }
            guard let value = param.defaultValue else { continue }
            if !value.matches(param.type) {
                out.append("param '\(param.name)': default \(value) is not a \(param.type)")
            } else if let n = value.doubleValue, !param.isInRange(n) {
                out.append("param '\(param.name)': default \(value) is outside \(param.rangeDescription ?? "")")
            } else if let list = value.doubleListValue, list.contains(where: { !param.isInRange($0) }) {
                out.append("param '\(param.name)': default \(value) has elements outside \(param.rangeDescription ?? "")")
            }
        }
        for demand in slotDemands where output(demand.port) == nil {
            out.append("slot demand names unknown output '\(demand.port)'")
        }
        switch defaultTrigger {
        case .input(let port)? where input(port) == nil:
            out.append("default trigger names unknown input '\(port)'")
        case .periodic(let hz)? where !(hz > 0):
            out.append("default rate \(hz) must be > 0")
        default: break
        }
        return out
    }
}
