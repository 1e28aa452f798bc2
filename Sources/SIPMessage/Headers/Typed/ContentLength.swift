/// The size of the body in bytes (RFC 3261 §20.14).
///
/// ```
/// Content-Length = ( "Content-Length" / "l" ) HCOLON 1*DIGIT
/// ```
///
/// Limited to 2**31 − 1, like the framer. The serializer always writes the true length of the body, so this view is
/// for reading. Errors: `.badContentLength` (400).
public struct ContentLength: SIPHeaderValue, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public var value: Int

    public init(_ value: Int) { self.value = max(0, value) }

    public init(integerLiteral value: Int) { self.init(value) }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        guard let number = value.trimmingWhitespace().parseDecimal(maximum: Int(Int32.max)) else {
            throw SIPParseError(.badContentLength, "Content-Length is not a number from 0 to 2^31 - 1")
        }
        self.value = number
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendDecimal(value, into: &buffer)
    }

    public var description: String { String(value) }
}
