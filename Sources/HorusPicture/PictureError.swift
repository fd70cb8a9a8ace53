/// Why a message could not be drawn or a picture not written: names the field and value.
public struct PictureError: Error, CustomStringConvertible, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
