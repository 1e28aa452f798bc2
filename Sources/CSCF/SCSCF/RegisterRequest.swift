import IMSInterfaces
import SIPMessage

/// A REGISTER as the S-CSCF reads it: every header it uses, parsed once, and the identities it names.
///
/// Any header it needs that does not parse makes the request a 400; identities that cannot be a subscriber's
/// make it a 403 (TS 24.229 §5.4.1.1).
struct RegisterRequest: Sendable {
    var message: SIPMessage
    /// The To identity: what is registered (with its implicit set).
    var publicIdentity: PublicIdentity
    /// The Authorization's `username`, else derived from To (`sip:alice@ims.example` → `alice@ims.example`).
    var privateIdentity: PrivateIdentity
    /// The Digest Authorization the S-CSCF answers: the one in its realm, else the first Digest one.
    var credentials: Credentials?
    /// The Request-URI as written, which a digest `uri` must name.
    var requestURI: String
    var callID: String
    var cseq: UInt32
    var contacts: [ContactValue]
    /// The Expires header, when present.
    var expires: Int?
    /// The Path values, in order, the P-CSCF's first (RFC 3327 §5.3 echoes them in the 200).
    var path: [NameAddress]
    var userAgent: String?
    /// The P-CSCF's `P-Gatehouse-Flow`, when present.
    var flow: String?

    init(parsing message: SIPMessage, realm: String) throws(RegisterRefusal) {
        self.message = message
        do {
            guard let requestLine = message.requestLine, requestLine.method == .register else {
                throw RegisterRefusal(.badRegister("not a REGISTER request"))
            }
            requestURI = String(decoding: requestLine.uri, as: UTF8.self)
            let to = try message.to
            callID = try message.callID.value
            cseq = try message.cseq.sequence
            contacts = try message.contacts
            expires = try message.expires.map { Int($0.seconds) }
            path = try message.paths
            userAgent = message.headers.firstString(.userAgent)
            flow = message.headers.firstString(.gatehouseFlow).map(Self.trimmed).flatMap { $0.isEmpty ? nil : $0 }
            let digest = try message.headers.all(.authorization, as: Credentials.self).filter(\.isDigest)
            credentials = digest.first { $0.realm == realm } ?? digest.first

            guard let identity = PublicIdentity(to.uri, requireUser: true) else {
                throw RegisterRefusal(.invalidPublicIdentity("To \(to.uriText) is not a public user identity"))
            }
            publicIdentity = identity
            privateIdentity = try Self.privateIdentity(credentials: credentials, publicIdentity: identity)
        } catch let error as SIPParseError {
            throw RegisterRefusal(.badRegister(error.detail))
        } catch let refusal as RegisterRefusal {
            throw refusal
        } catch {
            throw RegisterRefusal(.badRegister(String(describing: error)))
        }
    }

    /// TS 24.229 §5.4.1.1 3): without an Authorization the S-CSCF derives the private identity from the public one
    /// (TS 23.003 §13.3: the SIP URI without its scheme); a tel URI has no such form.
    private static func privateIdentity(
        credentials: Credentials?, publicIdentity: PublicIdentity
    ) throws(RegisterRefusal) -> PrivateIdentity {
        if let username = credentials?.username {
            guard let identity = PrivateIdentity(username) else {
                throw RegisterRefusal(.noPrivateIdentity("username \"\(username)\" is not a private identity"))
            }
            return identity
        }
        guard !publicIdentity.isTel, let colon = publicIdentity.value.firstIndex(of: ":"),
            let identity = PrivateIdentity(String(publicIdentity.value[publicIdentity.value.index(after: colon)...]))
        else {
            throw RegisterRefusal(
                .noPrivateIdentity("no Authorization username, and \(publicIdentity) has no derived private identity"))
        }
        return identity
    }

    private static func trimmed(_ text: String) -> String {
        var trimmed = Substring(text)
        while trimmed.first == " " || trimmed.first == "\t" { trimmed.removeFirst() }
        while trimmed.last == " " || trimmed.last == "\t" { trimmed.removeLast() }
        return String(trimmed)
    }

    /// The `integrity-protected` values with which the P-CSCF vouches that this REGISTER came over the security
    /// association or connection of an existing registration of this private identity (TS 24.229 §5.2.2, §7.2A.1):
    /// IPsec (`yes`), TLS (`tls-yes`), or the IP association of a NASS/GPRS-bundled access (`ip-assoc-yes`).
    /// Pending values (`tls-pending`, `ip-assoc-pending`), `no`, `auth-done` or none vouch for nothing.
    var isIntegrityProtected: Bool {
        switch credentials?.integrityProtected?.lowercased() {
        case "yes", "tls-yes", "ip-assoc-yes": true
        default: false
        }
    }

    /// The scheme the UE asked for by its `algorithm`; nil (the HSS picks the subscriber's preferred) when it named
    /// none or one the S-CSCF does not offer.
    var requestedScheme: AuthenticationScheme? {
        credentials?.algorithm.flatMap { AuthenticationScheme(algorithmToken: $0.name) }
    }
}
