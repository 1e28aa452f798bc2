/// How many more hops a request may take (RFC 3261 §8.1.1.6, §16.6 step 3, §20.22).
///
/// ```
/// Max-Forwards = "Max-Forwards" HCOLON 1*DIGIT
/// ```
///
/// The value is 0–255; a larger one (RFC 4475's scalar02) is an error, not a clamp. Errors: `.badMaxForwards` (400).
public struct MaxForwards: SIPHeaderValue, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The value a UAC starts with (RFC 3261 §8.1.1.6).
    public static let recommended = MaxForwards(70)

    public var value: UInt8

    public init(_ value: UInt8) { self.value = value }

    public init(integerLiteral value: UInt8) { self.value = value }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        guard let number = value.trimmingWhitespace().parseDecimal(maximum: 255) else {
            throw SIPParseError(.badMaxForwards, "Max-Forwards is not a number from 0 to 255")
        }
        self.value = UInt8(number)
    }

    /// The value a proxy forwards with (§16.6 step 3), or nil when it is already 0 and the request must be
    /// answered with 483 Too Many Hops.
    public var decremented: MaxForwards? {
        value > 0 ? MaxForwards(value - 1) : nil
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendDecimal(value, into: &buffer)
    }

    public var description: String { String(value) }
}
