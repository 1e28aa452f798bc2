/// One NAPTR record of an ENUM answer (RFC 3403 §4.1), the fields ENUM uses, in the shape of the resolver's
/// `DNSNAPTRRecord` (which Border cannot import: the assembly converts, decoding the three strings as UTF-8 and
/// writing the replacement in presentation form).
public struct ENUMRecord: Hashable, Sendable, CustomStringConvertible {
    /// Lower first; records of a higher order are considered only when no record of a lower one gives a result.
    public var order: UInt16
    /// Lower first within one order.
    public var preference: UInt16
    /// `U` for a terminal rule (RFC 6116 §2.4.1); empty for a non-terminal one; compare without regard to case.
    public var flags: String
    /// `E2U+sip`, `E2U+pstn:tel`, …: the enumservices (RFC 6116 §3.4.3).
    public var services: String
    /// The substitution expression `!^.*$!sip:info@example.com!`, applied to the number; empty when `replacement`
    /// is used.
    public var regexp: String
    /// The next domain to look up for a non-terminal record; `.` or empty when `regexp` is used.
    public var replacement: String

    public init(
        order: UInt16, preference: UInt16, flags: String, services: String, regexp: String, replacement: String = "."
    ) {
        self.order = order
        self.preference = preference
        self.flags = flags
        self.services = services
        self.regexp = regexp
        self.replacement = replacement
    }

    /// Whether the flags hold `u`, in either case: the result is a URI and the lookup ends here.
    public var isTerminal: Bool { flags.utf8.contains { $0 | 0x20 == UInt8(ascii: "u") } }

    /// Whether the record names a next domain rather than a rewrite.
    public var hasReplacement: Bool { !replacement.isEmpty && replacement != "." }

    /// Zone-file form, for logs and `explain`.
    public var description: String {
        "\(order) \(preference) \"\(flags)\" \"\(services)\" \"\(regexp)\" \(hasReplacement ? replacement : ".")"
    }
}
