/// One enumservice of a NAPTR services field (RFC 6116 §3.4.3): a type and optional subtypes, compared without
/// regard to case.
///
/// ```
/// service-field = "E2U" 1*(servicespec)
/// servicespec   = "+" enumservice
/// enumservice   = type 0*(subtypespec)
/// subtypespec   = ":" subtype
/// type, subtype = 1*32(ALPHA / DIGIT / "-")
/// ```
///
/// Gatehouse routes by two: `sip` (RFC 3764, the result is a SIP URI) and `pstn:sip` / `pstn:tel` (RFC 4769,
/// number portability data: the result carries `npdi` and often `rn`).
public struct ENUMService: Hashable, Sendable, CustomStringConvertible {
    /// The type in lower case: `sip`, `pstn`, `h323`, `voice`.
    public var type: String
    /// The subtypes in lower case, in order: `["tel"]` for `pstn:tel`.
    public var subtypes: [String]

    public init(type: String, subtypes: [String] = []) {
        self.type = type.lowercased()
        self.subtypes = subtypes.map { $0.lowercased() }
    }

    /// `type:subtype…`.
    public var description: String { ([type] + subtypes).joined(separator: ":") }

    /// RFC 3764: a SIP address of record.
    public var isSIP: Bool { type == "sip" }

    /// RFC 4769: a PSTN routing result (`pstn:sip` or `pstn:tel`).
    public var isPSTN: Bool { type == "pstn" && (subtypes == ["sip"] || subtypes == ["tel"]) }

    /// The enumservices of a services field, or nil when it is not an E2U field or breaks the grammar.
    ///
    /// Also read: the RFC 2916 order (`sip+E2U`), which RFC 3761 §2.4.2 asks clients to keep accepting from
    /// zones that were never updated.
    public static func parse(_ field: String) -> [ENUMService]? {
        let pieces = field.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count >= 2 else { return nil }
        let specs: ArraySlice<String>
        if pieces[0].lowercased() == "e2u" {
            specs = pieces[1...]
        } else if pieces[pieces.count - 1].lowercased() == "e2u" {
            specs = pieces[..<(pieces.count - 1)]
        } else {
            return nil
        }
        var services: [ENUMService] = []
        for spec in specs {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.allSatisfy(isToken) else { return nil }
            services.append(ENUMService(type: parts[0], subtypes: Array(parts.dropFirst())))
        }
        return services
    }

    private static func isToken(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                E164Number.isDigit(byte) || byte == UInt8(ascii: "-")
                    || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            }
    }
}
