/// How large the pool slot one output of a node type needs, for validation to refuse graphs
/// whose messages no pool class can hold: `bytes = elements x bytes per element`, the elements
/// being a product of int params (`width x height`) or those of the message on an input port
/// (divided by the square of a stride param when one is named).
public struct SlotDemand: Sendable, Hashable {
    /// Where the element count comes from.
    public enum Elements: Sendable, Hashable {
        /// The product of these int params.
        case params([String])
        /// The elements of the message on input `port`, divided by `stride`² (an int param) if set.
        case input(String, stride: String?)
    }

    /// The output port whose messages need the slot.
    public var port: String
    /// Element count.
    public var elements: Elements
    /// Bytes per element.
    public var bytesPerElement: Int
    /// When set, an enumeration param whose value picks the bytes per element instead.
    public var bytesByParam: String?
    /// Bytes per element for each value of `bytesByParam`.
    public var bytesByValue: [String: Int]

    /// Creates a demand.
    public init(port: String, elements: Elements, bytesPerElement: Int,
                bytesByParam: String? = nil, bytesByValue: [String: Int] = [:]) {
        self.port = port
        self.elements = elements
        self.bytesPerElement = bytesPerElement
        self.bytesByParam = bytesByParam
        self.bytesByValue = bytesByValue
    }

    /// Bytes per element with `params`.
    func elementBytes(_ params: [String: ParamValue]) -> Int {
        if let p = bytesByParam, let v = params[p]?.stringValue, let b = bytesByValue[v] { return b }
        return bytesPerElement
    }
}
