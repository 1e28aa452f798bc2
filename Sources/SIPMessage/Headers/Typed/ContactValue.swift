/// One Contact value: an address with its parameters, or `*` (RFC 3261 §20.10, §10.2.2).
///
/// ```
/// Contact        = ("Contact" / "m" ) HCOLON ( STAR / (contact-param *(COMMA contact-param)))
/// contact-param  = (name-addr / addr-spec) *(SEMI contact-params)
/// contact-params = c-p-q / c-p-expires / contact-extension
/// c-p-q          = "q" EQUAL qvalue
/// c-p-expires    = "expires" EQUAL delta-seconds
/// ```
///
/// `*` takes no parameters and is only meaningful alone, in a REGISTER with `Expires: 0` (§10.2.2); that rule
/// spans headers, so it is the registrar's to check. `q` must be a valid qvalue and `expires` a number from 0 to
/// 2**32 − 1 (RFC 4475's scalar02 test sends a larger one). Errors: `.badContact` (400) and the URI's codes.
public enum ContactValue: SIPHeaderValue, Hashable, CustomStringConvertible {
    /// `Contact: *`: all bindings (used to remove them all).
    case wildcard
    case address(NameAddress)

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        let trimmed = value.trimmingWhitespace()
        if trimmed.first == UInt8(ascii: "*") {
            guard trimmed.count == 1 else {
                throw SIPParseError(.badContact, "Contact: '*' takes no parameters")
            }
            self = .wildcard
            return
        }
        let address = try NameAddress(
            parsing: trimmed, requireAngleBrackets: false, code: .badContact, header: "Contact")
        if address.parameters.contains("q"), address.q == nil {
            throw SIPParseError(.badContact, "Contact: q is not a value from 0 to 1 with at most three decimals")
        }
        if address.parameters.contains("expires"), address.expires == nil {
            throw SIPParseError(.badContact, "Contact: expires is not a number of seconds from 0 to 2^32 - 1")
        }
        self = .address(address)
    }

    public var isWildcard: Bool {
        if case .wildcard = self { return true }
        return false
    }

    /// The address, unless this is `*`.
    public var nameAddress: NameAddress? {
        if case .address(let address) = self { return address }
        return nil
    }

    /// The URI, unless this is `*`.
    public var uri: URI? { nameAddress?.uri }

    /// The `expires` parameter, unless this is `*`.
    public var expires: UInt32? { nameAddress?.expires }

    /// The `q` parameter, unless this is `*`.
    public var q: QValue? { nameAddress?.q }

    public func serialize(into buffer: inout [UInt8]) {
        switch self {
        case .wildcard: buffer.append(UInt8(ascii: "*"))
        case .address(let address): address.serialize(into: &buffer)
        }
    }

    public var description: String { serializedString }
}
