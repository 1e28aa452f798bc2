/// An IPv6 address, as found (in brackets) in a URI host: RFC 3261 §25.1, with RFC 5118's corrections.
///
/// ```
/// IPv6reference = "[" IPv6address "]"
/// IPv6address   = hexpart [ ":" IPv4address ]
/// hexpart       = hexseq / hexseq "::" [ hexseq ] / "::" [ hexseq ]
/// hexseq        = hex4 *( ":" hex4)
/// hex4          = 1*4HEXDIG
/// ```
///
/// The grammar alone accepts too much (RFC 5118 §4.1); the parser also demands eight 16-bit groups in all, an
/// embedded IPv4 address counting as two and `::` standing for at least one zero group. Zone identifiers are not
/// part of SIP and are rejected. One liberty is taken, as RFC 5118 §4.10 suggests: the third colon of
/// `2001:db8:::192.0.2.1` (which RFC 3261's ABNF admits by mistake) is ignored.
///
/// Equality and hashing use the 128-bit value: `[2001:DB8::10]` equals `[2001:db8:0:0:0:0:0:10]`. The text as
/// received is kept so that serialization gives back the same bytes.
public struct IPv6Address: Hashable, Sendable, CustomStringConvertible {
    /// The upper 64 bits (groups 0–3).
    public var high: UInt64
    /// The lower 64 bits (groups 4–7).
    public var low: UInt64
    /// The address as written (without brackets), when it came from parsing.
    var spelling: String?

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
        self.spelling = nil
    }

    /// An address from its eight 16-bit groups; nil unless there are exactly eight.
    public init?(groups: [UInt16]) {
        guard groups.count == 8 else { return nil }
        let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        self.init(high: high, low: low)
    }

    /// Parses an IPv6 address without brackets.
    ///
    /// - Throws: `.badURIHost` for anything that is not a complete IPv6 address.
    public init(parsing text: String) throws(SIPParseError) {
        try self.init(parsing: Array(text.utf8)[...])
    }

    /// Parses an IPv6 address without brackets.
    ///
    /// - Throws: `.badURIHost` for anything that is not a complete IPv6 address.
    public init(parsing bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        func invalid(_ why: String) -> SIPParseError { SIPParseError(.badURIHost, "invalid IPv6 address: \(why)") }
        let colon = UInt8(ascii: ":")
        var head: [UInt16] = []  // groups before "::", or all groups when there is none
        var tail: [UInt16] = []  // groups after "::"
        var compressed = false
        var index = bytes.startIndex
        let end = bytes.endIndex

        if bytes.starts(with: [colon, colon]) {
            compressed = true
            index += 2
            index = Self.skippingThirdColon(bytes, at: index)
        } else if bytes.first == colon {
            throw invalid("a single leading ':'")
        }
        while index < end {
            // One piece: up to four hex digits, or the embedded IPv4 address that must end the address.
            let pieceStart = index
            var group: UInt32 = 0
            while index < end, let digit = URISyntax.hexValue(bytes[index]), index - pieceStart < 5 {
                group = group << 4 | UInt32(digit)
                index += 1
            }
            if index < end, bytes[index] == UInt8(ascii: ".") {
                guard let v4 = try? IPv4Address(parsingIfDotted: bytes[pieceStart...]) else {
                    throw invalid("bad embedded IPv4 address")
                }
                let pieces = [UInt16(v4.value >> 16), UInt16(truncatingIfNeeded: v4.value)]
                if compressed { tail += pieces } else { head += pieces }
                index = end
                break
            }
            let length = index - pieceStart
            guard length >= 1 else { throw invalid("an empty group") }
            guard length <= 4 else { throw invalid("a group of more than four hex digits") }
            if compressed { tail.append(UInt16(group)) } else { head.append(UInt16(group)) }
            guard head.count + tail.count <= 8 else { throw invalid("more than eight groups") }
            if index == end { break }
            guard bytes[index] == colon else { throw invalid("\(URISyntax.quoted(bytes[index])) in a group") }
            index += 1
            if index < end, bytes[index] == colon {
                guard !compressed else { throw invalid("more than one '::'") }
                compressed = true
                index += 1
                index = Self.skippingThirdColon(bytes, at: index)
            } else if index == end {
                throw invalid("a trailing ':'")
            }
        }
        let count = head.count + tail.count
        if compressed {
            guard count <= 7 else { throw invalid("'::' must stand for at least one group") }
        } else {
            guard count == 8 else { throw invalid("eight groups are needed without '::'") }
        }
        let groups = head + [UInt16](repeating: 0, count: 8 - count) + tail
        guard var address = Self(groups: groups) else { throw invalid("eight groups are needed") }
        address.spelling = String(decoding: bytes, as: UTF8.self)
        self = address
    }

    /// RFC 5118 §4.10: RFC 3261's ABNF (`hexpart ":" IPv4address` with a hexpart ending in `::`) admits
    /// `2001:db8:::192.0.2.1`, which RFC 4291 does not. Robust parsers read it as `2001:db8::192.0.2.1`: right after
    /// a `::`, one more `:` is skipped when only a dotted IPv4 address follows it. Anything else with three colons
    /// stays an error.
    private static func skippingThirdColon(_ bytes: ArraySlice<UInt8>, at index: Int) -> Int {
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") else { return index }
        let rest = bytes[(index + 1)...]
        guard !rest.isEmpty, (try? IPv4Address(parsingIfDotted: rest)) != nil else { return index }
        return index + 1
    }

    /// The eight 16-bit groups, most significant first.
    public var groups: [UInt16] {
        (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
    }

    /// Whether this is an IPv4-mapped address (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2).
    public var isIPv4Mapped: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// The address as written when parsed (without brackets), otherwise in RFC 5952 canonical form.
    public var description: String { spelling ?? canonicalText }

    /// RFC 5952 text: lower-case hex without leading zeros, the longest run of two or more zero groups (the first
    /// one on a tie) as `::`, and dotted-quad notation for IPv4-mapped addresses.
    public var canonicalText: String {
        if isIPv4Mapped {
            return "::ffff:" + IPv4Address(value: UInt32(truncatingIfNeeded: low)).description
        }
        let groups = self.groups
        var bestStart = -1
        var bestLength = 0
        var runStart = -1
        for (i, group) in groups.enumerated() {
            if group == 0 {
                if runStart < 0 { runStart = i }
                let length = i - runStart + 1
                if length > bestLength {
                    bestStart = runStart
                    bestLength = length
                }
            } else {
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestLength >= 2 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.high == rhs.high && lhs.low == rhs.low }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(low)
    }
}
