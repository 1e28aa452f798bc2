// Character classes and escaping shared by the URI parsers and serializers.
//
// Everything here is internal and namespaced under `URISyntax`, so it cannot collide with helpers elsewhere in the
// module.

/// The URI components in which a byte may appear unescaped.
///
/// ```
/// unreserved       = alphanum / mark
/// mark             = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
/// user             = 1*( unreserved / escaped / user-unreserved )            ; RFC 3261 §25.1
/// user-unreserved  = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
/// password         = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
/// paramchar        = param-unreserved / unreserved / escaped
/// param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
/// hname / hvalue   = ( hnv-unreserved / unreserved / escaped )
/// hnv-unreserved   = "[" / "]" / "/" / "?" / ":" / "+" / "$"
/// isdn-subaddress  = ";isub=" 1*uric                                          ; RFC 3966 §3
/// ```
struct URIByteSet: OptionSet, Sendable {
    let rawValue: UInt8

    /// The user of a SIP URI.
    static let user = URIByteSet(rawValue: 1 << 0)
    /// The password of a SIP URI.
    static let password = URIByteSet(rawValue: 1 << 1)
    /// Parameter names and values (SIP `paramchar`, tel `paramchar`).
    static let parameter = URIByteSet(rawValue: 1 << 2)
    /// Header names and values after `?`.
    static let header = URIByteSet(rawValue: 1 << 3)
    /// The value of a tel `isub` parameter: `uric` without `;`, which would end it.
    static let isdnSubaddress = URIByteSet(rawValue: 1 << 4)
    /// The part after the colon of a URI whose scheme Gatehouse does not know: RFC 2396 `uric`, brackets and `#`.
    static let opaque = URIByteSet(rawValue: 1 << 5)

    /// The sets each byte belongs to, indexed by the byte.
    private static let table: [URIByteSet] = {
        var table = [URIByteSet](repeating: [], count: 256)
        func add(_ characters: String, _ sets: URIByteSet) {
            for byte in characters.utf8 { table[Int(byte)].formUnion(sets) }
        }
        let all: URIByteSet = [.user, .password, .parameter, .header, .isdnSubaddress, .opaque]
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = all }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = all }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = all }
        add("-_.!~*'()", all)
        add("&=+$,;?/", .user)
        add("&=+$,", .password)
        add("[]/:&+$", .parameter)
        add("[]/?:+$", .header)
        add("/?:@&=+$,", .isdnSubaddress)
        add(";/?:@&=+$,[]#", .opaque)
        return table
    }()

    /// The sets in which `byte` may appear unescaped.
    static func of(_ byte: UInt8) -> URIByteSet { table[Int(byte)] }
}

enum URISyntax {
    static let percent = UInt8(ascii: "%")

    // MARK: ASCII

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isAlpha(byte) }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A byte for an error detail: `'x'` when printable ASCII, `0xNN` otherwise, so details never carry control
    /// characters into log lines.
    static func quoted(_ byte: UInt8) -> String {
        byte > 0x20 && byte < 0x7F ? "'\(Unicode.Scalar(byte))'" : "0x\(String(byte, radix: 16))"
    }

    /// A scheme for an error detail, cut to 16 bytes.
    static func quotedScheme(_ bytes: ArraySlice<UInt8>) -> String {
        "'\(String(decoding: bytes.prefix(16), as: UTF8.self))\(bytes.count > 16 ? "…" : "")'"
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Whether two byte sequences are equal when ASCII letters are folded to lower case.
    static func equalsIgnoringCase(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        // Over contiguous bytes where both have them (a slice of the message, a string's own UTF-8): parameter
        // and scheme names are compared on every URI and header read, and a generic walk costs several times more.
        let contiguous = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in
                for index in 0..<left.count where lowercased(left[index]) != lowercased(right[index]) {
                    return false
                }
                return true
            }
        }
        if let contiguous = contiguous ?? nil { return contiguous }
        return zip(lhs, rhs).allSatisfy { lowercased($0) == lowercased($1) }
    }

    /// Whether two strings are equal when ASCII letters are folded to lower case (other characters compare by bytes).
    static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        equalsIgnoringCase(lhs.utf8, rhs.utf8)
    }

    /// Throws `.malformedURI` if a URI holds a space, a control character or a byte outside ASCII. No URI grammar
    /// allows any of these unescaped, and rejecting them first keeps them out of every error detail and log line.
    static func rejectControlsAndSpaces(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        if let index = bytes.firstIndex(where: { $0 <= 0x20 || $0 >= 0x7F }) {
            let offset = bytes.distance(from: bytes.startIndex, to: index)
            throw SIPParseError(
                .malformedURI, "byte \(quoted(bytes[index])) at offset \(offset) is not allowed in a URI")
        }
    }

    // MARK: Escapes

    /// Decodes `%HH` escapes in one URI component, checking every unescaped byte against `allowed`.
    ///
    /// - Throws: `.badEscape` for a `%` not followed by two hex digits, `invalid` for a byte not allowed unescaped in
    ///   this component, `.nonUTF8Escape` when the decoded bytes are not UTF-8.
    static func unescape(
        _ bytes: ArraySlice<UInt8>, allowed: URIByteSet, invalid: SIPParseError.Code, component: String
    ) throws(SIPParseError) -> String {
        // The common case, no escape and nothing to refuse: one `String` straight from the bytes (none at all for
        // up to 15 of them, which Swift keeps inline), rather than a decoded copy and then a validated one.
        if bytes.allSatisfy({ $0 != percent && URIByteSet.of($0).isSuperset(of: allowed) }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == percent {
                let high = bytes.index(after: index)
                let low = bytes.index(high, offsetBy: 1, limitedBy: bytes.endIndex) ?? bytes.endIndex
                guard low < bytes.endIndex, let h = hexValue(bytes[high]), let l = hexValue(bytes[low]) else {
                    throw SIPParseError(.badEscape, "malformed %-escape in the \(component)")
                }
                decoded.append(h << 4 | l)
                index = bytes.index(after: low)
                continue
            }
            guard URIByteSet.of(byte).isSuperset(of: allowed) else {
                throw SIPParseError(invalid, "\(quoted(byte)) must be escaped in the \(component)")
            }
            decoded.append(byte)
            index = bytes.index(after: index)
        }
        guard let string = String(validating: decoded, as: UTF8.self) else {
            throw SIPParseError(.nonUTF8Escape, "the escaped \(component) is not UTF-8")
        }
        return string
    }

    /// Decodes `%HH` escapes without checking anything else; a malformed escape is kept as written. For text that
    /// this module serialized itself.
    static func unescapeLeniently(_ bytes: some Sequence<UInt8>) -> String {
        var decoded: [UInt8] = []
        var pending: [UInt8] = []
        for byte in bytes {
            if pending.isEmpty {
                if byte == percent { pending = [byte] } else { decoded.append(byte) }
                continue
            }
            pending.append(byte)
            if pending.count == 3 {
                if let h = hexValue(pending[1]), let l = hexValue(pending[2]) {
                    decoded.append(h << 4 | l)
                } else {
                    decoded.append(contentsOf: pending)
                }
                pending = []
            }
        }
        decoded.append(contentsOf: pending)
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Checks that every `%` in `bytes` starts a well-formed escape.
    static func checkEscapes(_ bytes: ArraySlice<UInt8>, component: String) throws(SIPParseError) {
        var index = bytes.startIndex
        while let percentIndex = bytes[index...].firstIndex(of: percent) {
            let high = bytes.index(after: percentIndex)
            let low = bytes.index(high, offsetBy: 1, limitedBy: bytes.endIndex) ?? bytes.endIndex
            guard low < bytes.endIndex, hexValue(bytes[high]) != nil, hexValue(bytes[low]) != nil else {
                throw SIPParseError(.badEscape, "malformed %-escape in the \(component)")
            }
            index = bytes.index(after: low)
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Appends `string` as UTF-8, escaping (`%HH`, upper-case hex) every byte not allowed unescaped in `allowed`.
    /// `kept`, when given, is one more byte to write unescaped.
    static func escape(_ string: String, allowed: URIByteSet, except kept: UInt8? = nil, into buffer: inout [UInt8]) {
        // Nearly every user, host and parameter needs no escape: copied in one go.
        if string.utf8.allSatisfy({ URIByteSet.of($0).isSuperset(of: allowed) || $0 == kept }) {
            buffer.append(contentsOf: string.utf8)
            return
        }
        for byte in string.utf8 {
            if URIByteSet.of(byte).isSuperset(of: allowed) || byte == kept {
                buffer.append(byte)
            } else {
                buffer.append(percent)
                buffer.append(hexDigits[Int(byte >> 4)])
                buffer.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    static func append(_ string: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: string.utf8)
    }

    // MARK: Numbers and names

    /// Parses `1*DIGIT` as a port, 0–65535.
    static func parsePort(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) -> UInt16 {
        guard !bytes.isEmpty else { throw SIPParseError(.badURIPort, "empty port after ':'") }
        var value = 0
        for byte in bytes {
            guard isDigit(byte) else { throw SIPParseError(.badURIPort, "the port is not a decimal number") }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            guard value <= Int(UInt16.max) else { throw SIPParseError(.badURIPort, "the port is larger than 65535") }
        }
        return UInt16(value)
    }

    /// Whether `bytes` match RFC 3261's `hostname`: `*( domainlabel "." ) toplabel [ "." ]`, where a label is
    /// alphanumerics with inner hyphens and the top label starts with a letter.
    static func isHostname(_ bytes: ArraySlice<UInt8>) -> Bool {
        // One pass over the labels (no split: a host is checked for every URI of every message).
        var labels = bytes
        if labels.count > 1, labels.last == UInt8(ascii: ".") { labels = labels.dropLast() }
        var labelStart = labels.startIndex
        var topLabelFirst: UInt8?
        while labelStart <= labels.endIndex {
            let labelEnd = labels[labelStart...].firstIndex(of: UInt8(ascii: ".")) ?? labels.endIndex
            let label = labels[labelStart..<labelEnd]
            guard let first = label.first, let last = label.last, isAlphanumeric(first), isAlphanumeric(last),
                label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return false }
            topLabelFirst = first
            labelStart = labelEnd + 1
        }
        return topLabelFirst.map(isAlpha) ?? false
    }

    /// Splits an absolute URI at its first colon into the scheme and what follows, after rejecting spaces and
    /// control characters: the common first step of every URI parser here.
    ///
    /// - Throws: `.malformedURI` when the bytes hold a space or control character, or do not start with a scheme
    ///   and `:`.
    static func splitScheme(
        _ bytes: ArraySlice<UInt8>
    ) throws(SIPParseError) -> (scheme: ArraySlice<UInt8>, rest: ArraySlice<UInt8>) {
        try rejectControlsAndSpaces(bytes)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), isScheme(bytes[..<colon]) else {
            throw SIPParseError(.malformedURI, "a URI starts with a scheme and ':'")
        }
        return (bytes[..<colon], bytes[bytes.index(after: colon)...])
    }

    /// Whether `bytes` match the URI `scheme` rule: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    static func isScheme(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, isAlpha(first) else { return false }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }

    /// Whether `bytes` match a SIP `token` (RFC 3261 §25.1), as used by `transport=` and `method=`.
    static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { isAlphanumeric($0) || "-.!%*_+`'~".utf8.contains($0) }
    }
}
