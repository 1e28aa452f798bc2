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
        // One pass, no allocation: a host is parsed for every URI of every message (sanity checks, routing).
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        var hasLeadingZero = false
        for byte in bytes {
            if URISyntax.isDigit(byte) {
                if digits == 1 && octet == 0 { hasLeadingZero = true }
                octet = octet &* 10 &+ UInt32(byte &- UInt8(ascii: "0"))
                digits += 1
            } else if byte == UInt8(ascii: ".") {
                dots += 1
                guard (1...3).contains(digits), octet <= 255 else {
                    try Self.rejectMalformedQuad(bytes)
                    return nil
                }
                value = value << 8 | octet
                octet = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard dots == 3, (1...3).contains(digits), octet <= 255 else {
            try Self.rejectMalformedQuad(bytes)
            return nil
        }
        self.value = value << 8 | octet
        // The canonical form needs no copy: `description` writes it back byte for byte.
        self.spelling = hasLeadingZero ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// Text the fast pass did not take for a dotted quad: returns if a byte other than a digit or a dot shows it is
    /// no address at all (it may still be a hostname), else throws what is wrong with the numbers.
    private static func rejectMalformedQuad(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        guard bytes.allSatisfy({ URISyntax.isDigit($0) || $0 == UInt8(ascii: ".") }) else { return }
        let numbers = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard numbers.count == 4 else {
            throw SIPParseError(.badURIHost, "an IPv4 address needs four dot-separated numbers")
        }
        for number in numbers {
            guard (1...3).contains(number.count) else {
                throw SIPParseError(.badURIHost, "each IPv4 number has one to three digits")
            }
        }
        throw SIPParseError(.badURIHost, "an IPv4 number is larger than 255")
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
        if let spelling { return spelling }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(15)
        serialize(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the address as `description` writes it, without building a `String` for the canonical form.
    public func serialize(into buffer: inout [UInt8]) {
        if let spelling {
            buffer.append(contentsOf: spelling.utf8)
            return
        }
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 { buffer.append(UInt8(ascii: ".")) }
            let octet = UInt8(truncatingIfNeeded: value >> UInt32(shift))
            if octet >= 100 { buffer.append(UInt8(ascii: "0") + octet / 100) }
            if octet >= 10 { buffer.append(UInt8(ascii: "0") + octet / 10 % 10) }
            buffer.append(UInt8(ascii: "0") + octet % 10)
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
