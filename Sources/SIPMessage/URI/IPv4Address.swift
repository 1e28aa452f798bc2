/// An IPv4 address in a URI host (RFC 3261 §25.1 `IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT`).
///
/// Equality and hashing use the 32-bit value only. The text as received (which may carry leading zeros, such as
/// `192.000.002.001`) is kept so that serialization gives back the same bytes.
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible {
    /// The address in network byte order: `192.0.2.1` is `0xC000_0201`.
    public var value: UInt32
    /// The dotted quad as written, when it came from parsing.
    var spelling: String?

    public init(value: UInt32) {
        self.value = value
        self.spelling = nil
    }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self.init(value: UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
    }

    /// Parses a dotted quad.
    ///
    /// - Throws: `.badURIHost` unless the text is four groups of one to three digits, each at most 255.
    public init(parsing text: String) throws(SIPParseError) {
        let bytes = Array(text.utf8)[...]
        guard let address = try Self(parsingIfDotted: bytes) else {
            throw SIPParseError(.badURIHost, "not an IPv4 address")
        }
        self = address
    }

    /// Parses `bytes` as a dotted quad if they hold only digits and dots; returns nil if any other byte is present
    /// (then they may still be a hostname).
    ///
    /// - Throws: `.badURIHost` for digits and dots that do not form a valid dotted quad (`1.2.3`, `256.1.1.1`). No
    ///   hostname can be made of digits and dots only, because a hostname's top label starts with a letter.
    init?(parsingIfDotted bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        guard bytes.allSatisfy({ URISyntax.isDigit($0) || $0 == UInt8(ascii: ".") }) else { return nil }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else {
            throw SIPParseError(.badURIHost, "an IPv4 address needs four dot-separated numbers")
        }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count) else {
                throw SIPParseError(.badURIHost, "each IPv4 number has one to three digits")
            }
            var octet: UInt32 = 0
            for digit in part { octet = octet * 10 + UInt32(digit - UInt8(ascii: "0")) }
            guard octet <= 255 else { throw SIPParseError(.badURIHost, "an IPv4 number is larger than 255") }
            value = value << 8 | octet
        }
        self.value = value
        self.spelling = String(decoding: bytes, as: UTF8.self)
    }

    /// The four octets, most significant first.
    public var octets: [UInt8] {
        [
            UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
            UInt8(truncatingIfNeeded: value),
        ]
    }

    /// The address as written when parsed, otherwise in canonical dotted-quad form.
    public var description: String {
        spelling ?? octets.map { String($0) }.joined(separator: ".")
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
