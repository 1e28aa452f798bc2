/// The name of a SIP header field, compared case-insensitively and with compact forms folded into long ones
/// (`v` is `Via`, `i` is `Call-ID`).
///
/// Known names come from `HeaderRegistry`; any other token is an extension header and keeps its spelling.
public struct HeaderName: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Index into `HeaderRegistry.entries`, or nil for an extension header.
    let registryIndex: UInt8?
    /// An extension header's spelling; nil for registered names, so that a registered name is a plain value that
    /// copies without reference counting (every header lookup passes one).
    private let extensionName: ExtensionName?

    /// An extension header's name as written and lower-cased.
    private final class ExtensionName: Sendable {
        let canonical: String
        let lowercased: [UInt8]

        init(_ name: String) {
            canonical = name
            lowercased = Array(name.lowercased().utf8)
        }
    }

    private init(extensionName name: String) {
        registryIndex = nil
        extensionName = ExtensionName(name)
    }

    init(registryIndex: UInt8) {
        self.registryIndex = registryIndex
        self.extensionName = nil
    }

    /// The spelling used when Gatehouse writes this name.
    public var canonical: String {
        if let registryIndex { return HeaderRegistry.entries[Int(registryIndex)].canonical }
        return extensionName?.canonical ?? ""
    }

    /// Lower-cased bytes of an extension header's name (empty for registered names).
    var extensionLowercased: [UInt8] { extensionName?.lowercased ?? [] }

    /// A header name from its text: registered names (long or compact, any case) map to their entry.
    public init(_ name: String) {
        if let index = HeaderRegistry.lookup(Array(name.utf8)) {
            self.init(registryIndex: index)
        } else {
            self.init(extensionName: name)
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { canonical }

    /// True for a header of `HeaderRegistry`, false for an extension header.
    public var isRegistered: Bool { registryIndex != nil }

    /// True when this header's grammar allows several comma-separated values in one field.
    public var isList: Bool { registryIndex.map { HeaderRegistry.entries[Int($0)].isList } ?? false }

    /// The compact form, if the header has one.
    public var compactForm: String? {
        registryIndex.flatMap { HeaderRegistry.entries[Int($0)].compact }.map { String(UnicodeScalar($0)) }
    }

    public static func == (lhs: HeaderName, rhs: HeaderName) -> Bool {
        guard lhs.registryIndex == rhs.registryIndex else { return false }
        return lhs.registryIndex != nil || lhs.extensionLowercased == rhs.extensionLowercased
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(registryIndex)
        if registryIndex == nil { hasher.combine(extensionLowercased) }
    }

    /// True when `bytes` (as found on the wire) names this header.
    func matches(registryIndex other: UInt8?, wireName: ArraySlice<UInt8>) -> Bool {
        if let registryIndex { return registryIndex == other }
        return other == nil && wireName.equalsCaseInsensitive(extensionLowercased)
    }
}

extension HeaderName {
    private static func registered(_ name: String) -> HeaderName {
        guard let index = HeaderRegistry.lookup(Array(name.utf8)) else {
            preconditionFailure("\(name) is missing from HeaderRegistry.entries")
        }
        return HeaderName(registryIndex: index)
    }

    public static let accept = registered("Accept")
    public static let allow = registered("Allow")
    public static let allowEvents = registered("Allow-Events")
    public static let authenticationInfo = registered("Authentication-Info")
    public static let authorization = registered("Authorization")
    public static let callID = registered("Call-ID")
    public static let contact = registered("Contact")
    public static let contentDisposition = registered("Content-Disposition")
    public static let contentEncoding = registered("Content-Encoding")
    public static let contentLength = registered("Content-Length")
    public static let contentType = registered("Content-Type")
    public static let cseq = registered("CSeq")
    public static let date = registered("Date")
    public static let event = registered("Event")
    public static let expires = registered("Expires")
    public static let from = registered("From")
    public static let maxForwards = registered("Max-Forwards")
    public static let minExpires = registered("Min-Expires")
    public static let minSE = registered("Min-SE")
    public static let pAccessNetworkInfo = registered("P-Access-Network-Info")
    public static let pAssertedIdentity = registered("P-Asserted-Identity")
    public static let pAssociatedURI = registered("P-Associated-URI")
    public static let pCalledPartyID = registered("P-Called-Party-ID")
    public static let pChargingFunctionAddresses = registered("P-Charging-Function-Addresses")
    public static let pChargingVector = registered("P-Charging-Vector")
    public static let pPreferredIdentity = registered("P-Preferred-Identity")
    public static let pVisitedNetworkID = registered("P-Visited-Network-ID")
    public static let path = registered("Path")
    public static let privacy = registered("Privacy")
    public static let proxyAuthenticate = registered("Proxy-Authenticate")
    public static let proxyAuthorization = registered("Proxy-Authorization")
    public static let proxyRequire = registered("Proxy-Require")
    public static let rack = registered("RAck")
    public static let reason = registered("Reason")
    public static let recordRoute = registered("Record-Route")
    public static let referTo = registered("Refer-To")
    public static let require = registered("Require")
    public static let retryAfter = registered("Retry-After")
    public static let route = registered("Route")
    public static let rseq = registered("RSeq")
    public static let securityClient = registered("Security-Client")
    public static let securityServer = registered("Security-Server")
    public static let securityVerify = registered("Security-Verify")
    public static let server = registered("Server")
    public static let serviceRoute = registered("Service-Route")
    public static let sessionExpires = registered("Session-Expires")
    public static let subject = registered("Subject")
    public static let subscriptionState = registered("Subscription-State")
    public static let supported = registered("Supported")
    public static let timestamp = registered("Timestamp")
    public static let to = registered("To")
    public static let unsupported = registered("Unsupported")
    public static let userAgent = registered("User-Agent")
    public static let via = registered("Via")
    public static let warning = registered("Warning")
    public static let wwwAuthenticate = registered("WWW-Authenticate")
}
