import IMSInterfaces
import SIPMessage

/// S-CSCF selection for a REGISTER (TS 24.229 §5.3.1.2, TS 29.228 §6.1.1).
extension InterrogatingCSCF {
    /// The user authorization query for a REGISTER, and the S-CSCF to hand it to: the name, or the rejection.
    ///
    /// The UAR names the To identity, the Authorization's `username` (or, without one, the identity derived from
    /// the To: `sip:alice@x` gives `alice@x`; a tel URI gives none, 403), the P-Visited-Network-ID, and a
    /// deregistration when the REGISTER removes every binding it names.
    ///
    /// The answer selects: an assigned S-CSCF this I-CSCF knows; else (one it does not know) a second UAR of type
    /// `registrationAndCapabilities` and a choice by capabilities; else a choice by the capabilities given. Results
    /// map to SIP as TS 24.229 §5.3.1.2 says: the user's refusals (unknown, identities that do not match, barred,
    /// roaming not allowed, not registered) 403; no capable S-CSCF 600; an HSS that throws or fails 480.
    public func selectServer(forRegister request: SIPMessage) -> Result<String, CSCFRejection> {
        let authorization: UserAuthorizationRequest
        switch Self.userAuthorizationRequest(for: request) {
        case .success(let built): authorization = built
        case .failure(let rejection): return .failure(rejection)
        }
        let answer: UserAuthorizationAnswer
        do {
            answer = try cx.userAuthorization(authorization)
        } catch {
            return .failure(Self.hssUnreachable(error))
        }
        guard answer.result.isSuccess else { return .failure(Self.rejection(for: answer.result)) }
        if let assigned = answer.serverName {
            if let configured = configuredServer(named: assigned) { return .success(configured) }
            // TS 29.228 §6.1.1: the assigned S-CSCF cannot be used; ask for the capabilities to choose another.
            var again = authorization
            again.type = .registrationAndCapabilities
            let second: UserAuthorizationAnswer
            do {
                second = try cx.userAuthorization(again)
            } catch {
                return .failure(Self.hssUnreachable(error))
            }
            guard second.result.isSuccess else { return .failure(Self.rejection(for: second.result)) }
            let capabilities = second.capabilities ?? .none
            return server(with: capabilities).map { .success($0) } ?? .failure(Self.noCapableServer(capabilities))
        }
        let capabilities = answer.capabilities ?? .none
        return server(with: capabilities).map { .success($0) } ?? .failure(Self.noCapableServer(capabilities))
    }

    /// The UAR a REGISTER asks for, or why it cannot be asked.
    static func userAuthorizationRequest(
        for request: SIPMessage
    ) -> Result<UserAuthorizationRequest, CSCFRejection> {
        do {
            let to = try request.to
            guard let publicIdentity = PublicIdentity(to.uri, requireUser: true) else {
                return .failure(
                    CSCFRejection(.forbidden, reason: "unsupported-identity", "To \(to.uriText) names no user"))
            }
            let credentials = try request.headers.first(.authorization, as: Credentials.self)
            guard let privateIdentity = try privateIdentity(credentials: credentials, to: to.uri) else {
                return .failure(
                    CSCFRejection(
                        .forbidden, reason: "no-private-identity",
                        "no Authorization username, and none can be derived from \(to.uriText)"))
            }
            return .success(
                UserAuthorizationRequest(
                    publicIdentity: publicIdentity, privateIdentity: privateIdentity,
                    visitedNetwork: try visitedNetwork(of: request),
                    type: try removesEveryBinding(request) ? .deregistration : .registration))
        } catch let rejection as CSCFRejection {
            return .failure(rejection)
        } catch {
            return .failure(CSCFRejection(.badRequest, reason: "bad-header", "\(error)"))
        }
    }

    /// The Authorization's `username`; without an Authorization, the To's SIP URI without scheme, port and
    /// parameters (TS 24.229 §5.3.1.2). A tel URI yields none.
    static func privateIdentity(credentials: Credentials?, to uri: URI) throws -> PrivateIdentity? {
        if let credentials {
            guard let username = credentials.username, let identity = PrivateIdentity(username) else {
                throw CSCFRejection(.badRequest, reason: "bad-username", "the Authorization has no valid username")
            }
            return identity
        }
        guard let sip = uri.sipURI, let user = sip.user, !user.isEmpty else { return nil }
        return PrivateIdentity("\(user)@\(sip.host)")
    }

    /// The P-Visited-Network-ID's first value without its parameters and quotes (RFC 7315 §4.3).
    static func visitedNetwork(of request: SIPMessage) throws -> String? {
        guard let value = try request.headers.values(.pVisitedNetworkID).first else { return nil }
        var text = Substring(String(decoding: value, as: UTF8.self))
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        guard text.first == "\"" else {
            let token = text.prefix { $0 != ";" && $0 != " " && $0 != "\t" }
            return token.isEmpty ? nil : String(token)
        }
        var result = ""
        var escaped = false
        for character in text.dropFirst() {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return result
            } else {
                result.append(character)
            }
        }
        throw CSCFRejection(.badRequest, reason: "bad-header", "P-Visited-Network-ID has an unclosed quoted string")
    }

    /// True when the REGISTER removes every binding it names (RFC 3261 §10.2.2): `Contact: *`, or each Contact
    /// with an expiry of 0 (its `expires` parameter, else the Expires header). A REGISTER without Contact only
    /// queries and counts as a registration.
    static func removesEveryBinding(_ request: SIPMessage) throws -> Bool {
        let contacts = try request.contacts
        guard !contacts.isEmpty else { return false }
        if contacts.contains(where: \.isWildcard) { return true }
        let expires = try request.expires?.seconds
        return contacts.allSatisfy { ($0.expires ?? expires) == 0 }
    }

    /// TS 24.229 §5.3.1.2: a negative answer to the user registration status query is 403; an HSS that failed
    /// (or answered with a result a UAA does not carry) is treated as unreachable, 480.
    static func rejection(for result: CxResult) -> CSCFRejection {
        switch result {
        case .userUnknown:
            CSCFRejection(.forbidden, reason: "user-unknown", "the HSS does not know the user")
        case .identitiesDontMatch:
            CSCFRejection(.forbidden, reason: "identities-dont-match", "the public identity is not the private one's")
        case .authorizationRejected:
            CSCFRejection(.forbidden, reason: "authorization-rejected", "the HSS refused the registration")
        case .roamingNotAllowed:
            CSCFRejection(.forbidden, reason: "roaming-not-allowed", "the user may not register from this network")
        case .identityNotRegistered:
            CSCFRejection(.forbidden, reason: "identity-not-registered", "the identity is not registered")
        default:
            CSCFRejection(.temporarilyUnavailable, reason: "hss-error", "the HSS answered \(result)")
        }
    }
}
