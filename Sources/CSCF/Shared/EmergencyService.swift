import SIPMessage

/// Emergency service URNs (RFC 5031): `urn:service:sos` and its sub-services (`urn:service:sos.police`, …), which
/// a P-CSCF must recognise in a UE's Request-URI and route as the operator says, registered or not
/// (TS 24.229 §5.2.10, TS 23.167 §6.2.2).
public enum EmergencyService {
    /// The service URN's prefix, without the sub-service.
    static let prefix = "urn:service:sos"

    /// The sub-service a URI names (`""` for plain `urn:service:sos`, `police` for `urn:service:sos.police`), or
    /// nil when the URI is no emergency service URN. URN scheme and NSS compare without regard to case (RFC 8141
    /// §3.1, RFC 5031 §3).
    public static func subService(of uri: URI) -> String? {
        guard case .other(let scheme, let value) = uri, scheme.lowercased() == "urn" else { return nil }
        let text = "urn:" + value.lowercased()
        guard text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        if rest.isEmpty { return "" }
        guard rest.first == ".", rest.count > 1 else { return nil }
        return String(rest.dropFirst())
    }

    /// Whether `uri` is an emergency service URN.
    public static func isEmergency(_ uri: URI) -> Bool { subService(of: uri) != nil }
}
