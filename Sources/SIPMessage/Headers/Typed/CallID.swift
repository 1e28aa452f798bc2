/// The Call-ID of a dialog or registration (RFC 3261 §8.1.1.4, §20.8, §25.1).
///
/// ```
/// callid = word [ "@" word ]
/// word   = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / "(" / ")" / "<" / ">" /
///             ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}" )
/// ```
///
/// Call-IDs compare byte for byte (case-sensitively, §20.8). Errors: `.badCallID` (400).
public struct CallID: SIPHeaderValue, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The Call-ID as written. Not checked when built in code; serialization replaces control characters.
    public var value: String

    public init(_ value: String) { self.value = value }

    public init(stringLiteral value: String) { self.value = value }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        let bytes = value.trimmingWhitespace()
        guard !bytes.isEmpty else { throw SIPParseError(.badCallID, "Call-ID is empty") }
        var atSigns = 0
        var previous: UInt8?
        for byte in bytes {
            if byte == UInt8(ascii: "@") {
                atSigns += 1
                guard atSigns == 1, previous != nil else {
                    throw SIPParseError(.badCallID, "Call-ID is not word [ \"@\" word ]")
                }
            } else if !Self.isWordByte(byte) {
                throw SIPParseError(.badCallID, "Call-ID holds a byte not allowed in a word")
            }
            previous = byte
        }
        guard bytes.last != UInt8(ascii: "@") else {
            throw SIPParseError(.badCallID, "Call-ID ends with '@'")
        }
        self.value = String(sipBytes: bytes)
    }

    /// The part after `@`, if any (often the host that made the Call-ID).
    public var host: Substring? {
        value.firstIndex(of: "@").map { value[value.index(after: $0)...] }
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendText(value, into: &buffer)
    }

    public var description: String { value }

    static func isWordByte(_ byte: UInt8) -> Bool { wordTable[Int(byte)] }

    private static let wordTable: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        return ASCII.isTokenChar(byte) || "()<>:\\\"/[]?{}".utf8.contains(byte)
    }
}
