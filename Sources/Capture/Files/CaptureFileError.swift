/// A capture file that cannot be read or written, with libpcap's or the system's own words.
public struct CaptureFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String

    public init(path: String, detail: String) {
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}
