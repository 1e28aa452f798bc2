/// The value of WWW-Authenticate or Proxy-Authenticate: a scheme and its parameters (RFC 3261 §20.27, §20.44,
/// §22.4; RFC 7616 §3.3; RFC 3310 for AKA; 3GPP TS 24.229 and TS 33.203 for `ck` / `ik`).
///
/// ```
/// challenge   = ("Digest" LWS digest-cln *(COMMA digest-cln)) / other-challenge
/// digest-cln  = realm / domain / nonce / opaque / stale / algorithm / qop-options / auth-param
/// qop-options = "qop" EQUAL LDQUOT qop-value *("," qop-value) RDQUOT
/// stale       = "stale" EQUAL ( "true" / "false" )
/// ```
///
/// Example (RFC 3310): `Digest realm="RoamingUsers@home1.net",
/// nonce="CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==", qop="auth,auth-int", algorithm=AKAv1-MD5`.
/// Between the S-CSCF and the P-CSCF a 401 also carries `ck` and `ik`, which the P-CSCF removes before forwarding.
/// Parameters not named here are kept. Errors: `.badChallenge` (400).
public struct Challenge: SIPHeaderValue, Hashable, CustomStringConvertible {
    public var scheme: String
    public var parameters: HeaderParameters
    /// An RFC 7235 token68 in place of parameters.
    public var token68: String?

    public init(scheme: String = "Digest", parameters: HeaderParameters = [], token68: String? = nil) {
        self.scheme = scheme
        self.parameters = parameters
        self.token68 = token68
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: .badChallenge, header: "WWW-Authenticate")
        let parsed = try AuthScheme.parse(&scanner)
        scheme = parsed.scheme
        parameters = parsed.parameters
        token68 = parsed.token68
        if let stale = parameters["stale"], stale.value.flatMap(Self.parseBool) == nil {
            throw scanner.error("stale must be 'true' or 'false'")
        }
    }

    public var isDigest: Bool { ContentType.equalsIgnoringCase(scheme, "digest") }

    public var realm: String? {
        get { parameters.value("realm") }
        set { parameters.setOrRemove("realm", newValue, quoted: true) }
    }

    /// `domain`: a quoted, space-separated list of URIs.
    public var domain: String? {
        get { parameters.value("domain") }
        set { parameters.setOrRemove("domain", newValue, quoted: true) }
    }

    /// The nonce; for AKA, base64 of RAND || AUTN || server data (RFC 3310), kept as text.
    public var nonce: String? {
        get { parameters.value("nonce") }
        set { parameters.setOrRemove("nonce", newValue, quoted: true) }
    }

    public var opaque: String? {
        get { parameters.value("opaque") }
        set { parameters.setOrRemove("opaque", newValue, quoted: true) }
    }

    /// `stale=true`: the credentials were good but the nonce expired; retry without asking the user.
    public var stale: Bool? {
        get { parameters.value("stale").flatMap(Self.parseBool) }
        set { parameters.setOrRemove("stale", newValue.map { $0 ? "true" : "false" }, quoted: false) }
    }

    public var algorithm: DigestAlgorithm? {
        get { parameters.value("algorithm").map { DigestAlgorithm($0) } }
        set { parameters.setOrRemove("algorithm", newValue?.name, quoted: false) }
    }

    /// The qualities of protection offered (`qop="auth,auth-int"`), in order; empty when absent.
    public var qopOptions: [String] {
        get {
            guard let value = parameters.value("qop") else { return [] }
            return Array(value.utf8).split(separator: ASCII.comma).map { $0[...].trimmingWhitespace() }
                .filter { !$0.isEmpty }.map { String(sipBytes: $0) }
        }
        set {
            parameters.setOrRemove("qop", newValue.isEmpty ? nil : newValue.joined(separator: ","), quoted: true)
        }
    }

    /// `ck`: the AKA cipher key, hex, which the S-CSCF gives the P-CSCF in a 401 (TS 33.203).
    public var ck: String? {
        get { parameters.value("ck") }
        set { parameters.setOrRemove("ck", newValue, quoted: true) }
    }

    /// `ik`: the AKA integrity key, hex (TS 33.203).
    public var ik: String? {
        get { parameters.value("ik") }
        set { parameters.setOrRemove("ik", newValue, quoted: true) }
    }

    private static func parseBool(_ text: String) -> Bool? {
        if ContentType.equalsIgnoringCase(text, "true") { return true }
        if ContentType.equalsIgnoringCase(text, "false") { return false }
        return nil
    }

    public func serialize(into buffer: inout [UInt8]) {
        AuthScheme.serialize(scheme: scheme, parameters: parameters, token68: token68, into: &buffer)
    }

    public var description: String { serializedString }
}
