import SIPMessage

/// Number portability data carried in a telephone-subscriber (RFC 4694): whether the portability database was
/// already consulted (`npdi`), the routing number of the network now serving the number (`rn`), and the carrier
/// identification code (`cic`).
///
/// ```
/// npdi       = ";npdi"
/// rn         = ";rn=" ( global-rn / local-rn )
/// global-rn  = global-hex-digits                     ; "+" 1*3DIGIT *hex-phonedigit
/// local-rn   = 1*hex-phonedigit rn-context
/// rn-context = ";rn-context=" rn-descriptor           ; domainname / global-hex-digits
/// cic        = ";cic=" ( global-cic / local-cic )
/// ```
///
/// Routing steers by `rn` when present (the ported-to network) and by the dialled number otherwise; `npdi` tells
/// the next hop not to dip again. The parameters come from a tel URI, from the user part of a SIP URI (with or
/// without `user=phone`), or from an ENUM result (RFC 4769 `E2U+pstn:sip` / `E2U+pstn:tel`).
public struct NumberPortability: Hashable, Sendable {
    /// `npdi`: the number portability database was consulted.
    public var isDipped: Bool
    /// The `rn` value without visual separators: `+15551239999`, or a local routing number.
    public var routingNumber: String?
    /// The `rn-context` of a local routing number.
    public var routingNumberContext: String?
    /// The `cic` value without visual separators.
    public var carrierIdentificationCode: String?

    public init(
        isDipped: Bool = false, routingNumber: String? = nil, routingNumberContext: String? = nil,
        carrierIdentificationCode: String? = nil
    ) {
        self.isDipped = isDipped
        self.routingNumber = routingNumber
        self.routingNumberContext = routingNumberContext
        self.carrierIdentificationCode = carrierIdentificationCode
    }

    /// The portability parameters among a telephone-subscriber's parameters (names compared without case).
    public init(parameters: [URIParameter]) {
        func value(_ name: String) -> String? {
            parameters.first { $0.name.lowercased() == name }?.value.map(E164Number.removingSeparators)
        }
        self.init(
            isDipped: parameters.contains { $0.name.lowercased() == "npdi" }, routingNumber: value("rn"),
            routingNumberContext: value("rn-context"), carrierIdentificationCode: value("cic"))
    }

    /// The portability data of the telephone number a URI carries; empty when it carries none.
    public init(uri: URI) {
        self.init(parameters: TelephoneURIConversion.subscriber(in: uri)?.parameters ?? [])
    }

    /// Whether no portability parameter was present.
    public var isEmpty: Bool {
        !isDipped && routingNumber == nil && routingNumberContext == nil && carrierIdentificationCode == nil
    }

    /// The routing number as an E.164 number: a global `rn`, or a local one under a global `rn-context`
    /// (`rn=5551239;rn-context=+1555` → `+15555551239`). Nil when absent, hex, or under a domain context.
    public var routingE164: E164Number? {
        guard let routingNumber else { return nil }
        if routingNumber.utf8.first == UInt8(ascii: "+") { return try? E164Number(parsing: routingNumber) }
        guard let context = routingNumberContext, context.utf8.first == UInt8(ascii: "+") else { return nil }
        return try? E164Number(parsing: context + routingNumber)
    }

    /// The number routing should steer by: the routing number when it is a usable E.164 number, else `dialled`.
    public func routingTarget(for dialled: E164Number) -> E164Number {
        routingE164 ?? dialled
    }
}
