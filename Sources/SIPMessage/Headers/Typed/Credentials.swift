/// The value of Authorization or Proxy-Authorization: a scheme and its parameters (RFC 3261 §20.7, §20.28,
/// §22.4; RFC 7616 §3.4; RFC 3310 for AKA; 3GPP TS 24.229 §7.2A.1 for `integrity-protected`).
///
/// ```
/// credentials = ("Digest" LWS digest-response) / other-response
/// dig-resp    = username / realm / nonce / digest-uri / dresponse / algorithm / cnonce / opaque / message-qop /
///               nonce-count / auth-param
/// ```
///
/// Example (TS 24.229 initial REGISTER): `Digest username="user1_private@home1.net", realm="home1.net",
/// nonce="", uri="sip:home1.net", response="", integrity-protected="no"`. Parameters not named here are kept.
/// The nonce (base64 of RAND || AUTN for AKA) is kept as text; no cryptography here. Errors: `.badCredentials` (400).
public struct Credentials: SIPHeaderValue, Hashable, CustomStringConvertible {
    /// `Digest`, `Bearer`, … as written.
    public var scheme: String
    /// The auth-params, in order.
    public var parameters: HeaderParameters
    /// An RFC 7235 token68 in place of parameters (`Bearer mF_9.B5f-4.1JqM`).
    public var token68: String?

    public init(scheme: String = "Digest", parameters: HeaderParameters = [], token68: String? = nil) {
        self.scheme = scheme
        self.parameters = parameters
        self.token68 = token68
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: .badCredentials, header: "Authorization")
        let parsed = try AuthScheme.parse(&scanner)
        scheme = parsed.scheme
        parameters = parsed.parameters
        token68 = parsed.token68
    }

    public var isDigest: Bool { ContentType.equalsIgnoringCase(scheme, "digest") }

    public var username: String? {
        get { parameters.value("username") }
        set { parameters.setOrRemove("username", newValue, quoted: true) }
    }

    public var realm: String? {
        get { parameters.value("realm") }
        set { parameters.setOrRemove("realm", newValue, quoted: true) }
    }

    /// The nonce from the challenge; for AKA, base64 of RAND || AUTN (RFC 3310), kept as text.
    public var nonce: String? {
        get { parameters.value("nonce") }
        set { parameters.setOrRemove("nonce", newValue, quoted: true) }
    }

    /// The `uri` parameter (digest-uri), as text.
    public var uri: String? {
        get { parameters.value("uri") }
        set { parameters.setOrRemove("uri", newValue, quoted: true) }
    }

    public var response: String? {
        get { parameters.value("response") }
        set { parameters.setOrRemove("response", newValue, quoted: true) }
    }

    public var algorithm: DigestAlgorithm? {
        get { parameters.value("algorithm").map { DigestAlgorithm($0) } }
        set { parameters.setOrRemove("algorithm", newValue?.name, quoted: false) }
    }

    public var cnonce: String? {
        get { parameters.value("cnonce") }
        set { parameters.setOrRemove("cnonce", newValue, quoted: true) }
    }

    public var opaque: String? {
        get { parameters.value("opaque") }
        set { parameters.setOrRemove("opaque", newValue, quoted: true) }
    }

    /// The quality of protection chosen (`auth`, `auth-int`), a token.
    public var qop: String? {
        get { parameters.value("qop") }
        set { parameters.setOrRemove("qop", newValue, quoted: false) }
    }

    /// `nc`: eight hex digits as written (`00000001`).
    public var nonceCount: String? {
        get { parameters.value("nc") }
        set { parameters.setOrRemove("nc", newValue, quoted: false) }
    }

    /// `auts`: the AKA resynchronization token (RFC 3310 §3.4), base64, sent after a sequence number failure.
    public var auts: String? {
        get { parameters.value("auts") }
        set { parameters.setOrRemove("auts", newValue, quoted: true) }
    }

    /// `integrity-protected` (TS 24.229 §7.2A.1): what the P-CSCF tells the S-CSCF about the access security —
    /// `yes`, `no`, `tls-pending`, `tls-yes`, `ip-assoc-pending`, `ip-assoc-yes`, `auth-done`.
    public var integrityProtected: String? {
        get { parameters.value("integrity-protected") }
        set { parameters.setOrRemove("integrity-protected", newValue, quoted: true) }
    }

    public func serialize(into buffer: inout [UInt8]) {
        AuthScheme.serialize(scheme: scheme, parameters: parameters, token68: token68, into: &buffer)
    }

    public var description: String { serializedString }
}
