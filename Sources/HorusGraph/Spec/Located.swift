/// A value read from the graph file together with where it was written.
public struct Located<Value> {
    /// The parsed value.
    public var value: Value
    /// Location of the value in the graph file.
    public var location: SourceLocation

    /// Wraps `value` read at `location`.
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
