/// One `name[=value]` parameter of a header value (RFC 3261 §7.3.1, §25.1):
///
/// ```
/// generic-param = token [ EQUAL gen-value ]
/// gen-value     = token / host / quoted-string
/// ```
///
/// The value is kept as text: a token or host as written (an IPv6 reference with its brackets), a quoted string
/// without its quotes and escapes, with `isQuoted` set so that it is written back quoted. Names compare without
/// regard to ASCII case; values compare exactly, and a value compares equal whether it was quoted or not.
public struct HeaderParameter: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    /// The value after `=`, or nil for a flag parameter such as `lr` or `rport`.
    public var value: String?
    /// Whether the value is written as a quoted string.
    public var isQuoted: Bool

    /// A parameter; `quoted: nil` quotes the value only when it is not a token, host or IPv6 reference.
    public init(name: String, value: String? = nil, quoted: Bool? = nil) {
        self.name = name
        self.value = value
        self.isQuoted = quoted ?? value.map { !Self.canBeUnquoted($0) } ?? false
    }

    /// Whether `name` is this parameter's name, ignoring ASCII case.
    public func hasName(_ other: String) -> Bool {
        URISyntax.equalsIgnoringCase(name, other)
    }

    /// `name`, `name=value` or `name="value"`, as written on the wire.
    public var description: String {
        String(sipBytes: HeaderWriting.bytes { serialize(into: &$0) })
    }

    /// Appends `name[=value]` (without the separator before it).
    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendText(name, into: &buffer)
        guard let value else { return }
        buffer.append(ASCII.equals)
        if isQuoted || !Self.canBeUnquoted(value) {
            HeaderWriting.appendQuoted(value, into: &buffer)
        } else {
            HeaderWriting.appendText(value, into: &buffer)
        }
    }

    public static func == (lhs: HeaderParameter, rhs: HeaderParameter) -> Bool {
        lhs.hasName(rhs.name) && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        for byte in name.utf8 { hasher.combine(ASCII.lowercased(byte)) }
        hasher.combine(value)
    }

    /// Whether `value` can be written without quotes: a token, a host with `:` (an IPv6 address) or an IPv6
    /// reference in brackets.
    static func canBeUnquoted(_ value: String) -> Bool {
        !value.utf8.isEmpty && value.utf8.allSatisfy(isUnquotedValueByte)
    }

    /// Bytes of an unquoted `gen-value`: token characters, and the `:[]` of IPv6 hosts.
    static func isUnquotedValueByte(_ byte: UInt8) -> Bool {
        ASCII.isTokenChar(byte) || byte == ASCII.colon || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
    }
}
