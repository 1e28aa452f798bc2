/// The IMS charging correlation identifiers (RFC 7315 §4.6; 3GPP TS 24.229 §7.2A.5).
///
/// ```
/// P-Charging-Vector = "P-Charging-Vector" HCOLON icid-value *(SEMI charge-params)
/// charge-params     = icid-gen-addr / orig-ioi / term-ioi / transit-ioi / related-icid / related-icid-gen-addr /
///                     generic-param
/// icid-value        = "icid-value" EQUAL gen-value
/// icid-gen-addr     = "icid-generated-at" EQUAL host
/// orig-ioi          = "orig-ioi" EQUAL gen-value
/// term-ioi          = "term-ioi" EQUAL gen-value
/// ```
///
/// All parts are parameters, `icid-value` first; they are kept in order in `parameters`. Unquoted values may hold
/// `=` and `/`, as base64 ICIDs from real nodes do. Errors: `.badChargingVector` (400).
public struct PChargingVector: SIPHeaderValue, Hashable, CustomStringConvertible {
    /// Every parameter, `icid-value` first.
    public var parameters: HeaderParameters

    public init(icidValue: String, icidGeneratedAt: String? = nil, origIOI: String? = nil, termIOI: String? = nil) {
        parameters = HeaderParameters()
        parameters.set("icid-value", icidValue)
        if let icidGeneratedAt { parameters.set("icid-generated-at", icidGeneratedAt) }
        if let origIOI { parameters.set("orig-ioi", origIOI) }
        if let termIOI { parameters.set("term-ioi", termIOI) }
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: .badChargingVector, header: "P-Charging-Vector")
        parameters = HeaderParameters()
        scanner.skipWhitespace()
        try scanner.parameter(into: &parameters, lenient: true)
        try scanner.parameters(into: &parameters, lenient: true)
        guard parameters.first?.hasName("icid-value") == true, parameters.first?.value != nil else {
            throw scanner.error("the first parameter must be icid-value")
        }
    }

    /// The IMS Charging Identity.
    public var icidValue: String {
        get { parameters.value("icid-value") ?? "" }
        set { parameters.set("icid-value", newValue) }
    }

    /// The address of the node that made the ICID.
    public var icidGeneratedAt: String? {
        get { parameters.value("icid-generated-at") }
        set { parameters.setOrRemove("icid-generated-at", newValue) }
    }

    /// The originating Inter Operator Identifier.
    public var origIOI: String? {
        get { parameters.value("orig-ioi") }
        set { parameters.setOrRemove("orig-ioi", newValue) }
    }

    /// The terminating Inter Operator Identifier.
    public var termIOI: String? {
        get { parameters.value("term-ioi") }
        set { parameters.setOrRemove("term-ioi", newValue) }
    }

    /// The transit Inter Operator Identifier (RFC 7315 §4.6).
    public var transitIOI: String? {
        get { parameters.value("transit-ioi") }
        set { parameters.setOrRemove("transit-ioi", newValue) }
    }

    /// The ICID of a related session (RFC 7315 §4.6).
    public var relatedICID: String? {
        get { parameters.value("related-icid") }
        set { parameters.setOrRemove("related-icid", newValue) }
    }

    public func serialize(into buffer: inout [UInt8]) {
        var written: [UInt8] = []
        parameters.serialize(into: &written)
        buffer.append(contentsOf: written.dropFirst())  // no ';' before icid-value
    }

    public var description: String { serializedString }
}
