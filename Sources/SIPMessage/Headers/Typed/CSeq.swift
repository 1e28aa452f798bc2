/// The command sequence of a request: a number and the method (RFC 3261 §8.1.1.5, §20.16).
///
/// ```
/// CSeq = "CSeq" HCOLON 1*DIGIT LWS Method
/// ```
///
/// The number must be below 2**31 (§8.1.1.5). RFC 4475's scalar02 test sends a far larger one; it is rejected, not
/// wrapped. Errors: `.badCSeq` (400).
public struct CSeq: SIPHeaderValue, Hashable, CustomStringConvertible {
    /// The largest sequence number RFC 3261 allows, 2**31 − 1.
    public static let maximumSequence: UInt32 = 0x7FFF_FFFF

    public var sequence: UInt32
    public var method: SIPMethod

    public init(_ sequence: UInt32, _ method: SIPMethod) {
        self.sequence = sequence
        self.method = method
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: .badCSeq, header: "CSeq")
        scanner.skipWhitespace()
        let digits = scanner.scan(while: ASCII.isDigit)
        guard let number = digits.parseDecimal(maximum: Int(Self.maximumSequence)) else {
            throw scanner.error(
                digits.isEmpty ? "the sequence number is missing" : "the sequence number is larger than 2^31 - 1")
        }
        let beforeMethod = scanner.index
        scanner.skipWhitespace()
        guard scanner.index > beforeMethod else { throw scanner.error("white space expected before the method") }
        let method = try scanner.token("the method")
        try scanner.expectEnd("the method")
        self.sequence = UInt32(number)
        self.method = SIPMethod(bytes: method)
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendDecimal(sequence, into: &buffer)
        buffer.append(ASCII.space)
        HeaderWriting.appendText(method.rawValue, into: &buffer)
    }

    public var description: String { serializedString }
}
