/// A failure of the DDS layer, with the one-line message libhorus_dds (or the loader) gave.
public struct DDSError: Error, CustomStringConvertible, Equatable {
    /// The HORUS_DDS_E* code (negative), or 0 for loader errors.
    public let code: Int32
    public let message: String
    public var description: String { message }

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }
}
