/// A relative time in seconds: the Expires header (RFC 3261 §20.19) and Min-Expires (§20.23).
///
/// ```
/// Expires     = "Expires" HCOLON delta-seconds
/// Min-Expires = "Min-Expires" HCOLON delta-seconds
/// delta-seconds = 1*DIGIT
/// ```
///
/// Values run from 0 to 2**32 − 1 (§20.19). A larger one (RFC 4475's scalar02) is an error: a registrar may then
/// use its default instead. Errors: `.badExpires` (400).
public struct Expires: SIPHeaderValue, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public var seconds: UInt32

    public init(_ seconds: UInt32) { self.seconds = seconds }

    public init(integerLiteral value: UInt32) { self.seconds = value }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        seconds = try Self.parseDeltaSeconds(value, header: "Expires")
    }

    /// `delta-seconds`, 0 to 2**32 − 1.
    static func parseDeltaSeconds(_ value: ArraySlice<UInt8>, header: String) throws(SIPParseError) -> UInt32 {
        guard let number = value.trimmingWhitespace().parseDecimal(maximum: Int(UInt32.max)) else {
            throw SIPParseError(.badExpires, "\(header) is not a number of seconds from 0 to 2^32 - 1")
        }
        return UInt32(number)
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendDecimal(seconds, into: &buffer)
    }

    public var description: String { String(seconds) }
}

/// The shortest registration or subscription interval a server accepts, sent with 423 Interval Too Brief
/// (RFC 3261 §10.3 step 7, §20.23). Errors: `.badExpires` (400).
public struct MinExpires: SIPHeaderValue, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public var seconds: UInt32

    public init(_ seconds: UInt32) { self.seconds = seconds }

    public init(integerLiteral value: UInt32) { self.seconds = value }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        seconds = try Expires.parseDeltaSeconds(value, header: "Min-Expires")
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendDecimal(seconds, into: &buffer)
    }

    public var description: String { String(seconds) }
}
