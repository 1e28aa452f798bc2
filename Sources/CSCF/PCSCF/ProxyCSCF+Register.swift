import IMSInterfaces
import SIPMessage

/// A UE's REGISTER on its way to the I-CSCF (TS 24.229 §5.2.2.1).
extension ProxyCSCF {
    /// Header fields a UE must not set: the network writes them, and a copy from the UE would let it claim an
    /// identity, a charging correlation, a visited network, a route toward itself or a flow of its choosing
    /// (TS 24.229 §5.2.2.1, §5.2.6.3.1; RFC 7315 §4: P-headers are trusted only inside the trust domain). A Path from
    /// the UE is dropped too: the P-CSCF is the first hop, and terminating requests must come through it.
    static let headersUEMustNotSet: [HeaderName] = [
        UEFlow.headerName, .pAssertedIdentity, .pChargingVector, .pChargingFunctionAddresses, .pVisitedNetworkID,
        .path,
    ]

    /// A UE's REGISTER, already through the border's sanity and admission checks: the request to forward to the
    /// I-CSCF, or why not.
    ///
    /// Refused: a To that is not a SIP, SIPS or tel URI naming a user (403), a Request-URI other than the home
    /// domain (403, TS 24.229 §5.1.1.2.1: the P-CSCF finds the I-CSCF from it and serves one home network), a
    /// required `sec-agree` (420, RFC 3329 §2.3.1) and headers that do not parse (400).
    ///
    /// Forwarded with: the UE's P-headers, Path and flow header removed; Security-Client, Security-Verify and the
    /// `sec-agree` option tags removed (TS 24.228 §6.2 flow R1-1c); Path `<sip:term@host;lr>`, with `ob` when a
    /// Contact has a `reg-id` (RFC 5626 §5.1); `Require: path` (TS 24.229 §5.2.2.1); a P-Charging-Vector with a
    /// fresh `icid-value` and a type 1 `orig-ioi`; the P-Visited-Network-ID when configured; `integrity-protected`
    /// in the Authorization; and `P-Gatehouse-Flow`. Via, Route and Max-Forwards are the proxy core's
    /// (RFC 3261 §16.6).
    public mutating func forwardRegister(
        _ request: SIPMessage, from flow: UEFlow, now: Timestamp
    ) -> Result<SIPMessage, CSCFRejection> {
        guard request.method == .register else {
            return .failure(CSCFRejection(.serverInternalError, reason: "not-register", "the request is no REGISTER"))
        }
        guard let pathURI else {
            return .failure(
                CSCFRejection(
                    .serverInternalError, reason: "configuration", "the P-CSCF URI \(configuration.uri) is no SIP URI"))
        }
        do {
            try checkAddresses(of: request)
            try refuseRequiredSecurityAgreement(request)
            let credentials = try request.headers.first(.authorization, as: Credentials.self)
            var forwarded = request
            for name in Self.headersUEMustNotSet { forwarded.headers.remove(name) }
            try removeSecurityAgreement(from: &forwarded)
            var path = pathURI
            if try request.contacts.contains(where: { $0.nameAddress?.parameters.contains("reg-id") ?? false }) {
                path.setParameter("ob", to: nil)
            }
            forwarded.headers.prepend(.path, NameAddress(uri: .sip(path)))
            if try !forwarded.headers.optionTags(.require).contains(.path) {
                forwarded.headers.append(.require, OptionTag.path)
            }
            forwarded.headers.append(.pChargingVector, chargingVector())
            if let visitedNetworkID = configuration.visitedNetworkID {
                forwarded.headers.append(.pVisitedNetworkID, Self.quotedIfNeeded(visitedNetworkID))
            }
            if var credentials, credentials.isDigest {
                credentials.integrityProtected = integrityProtection(
                    of: flow, for: credentials.username.flatMap(PrivateIdentity.init), now: now)
                try forwarded.headers.replaceFirstValue(.authorization, with: credentials.serialized)
            }
            forwarded.headers.append(UEFlow.headerName, flow.description)
            return .success(forwarded)
        } catch let rejection as CSCFRejection {
            return .failure(rejection)
        } catch {
            return .failure(CSCFRejection(.badRequest, reason: "bad-header", "\(error)"))
        }
    }

    /// The To must name a user by a SIP, SIPS or tel URI, and the Request-URI must be the home domain.
    private func checkAddresses(of request: SIPMessage) throws {
        let to = try request.to
        guard PublicIdentity(to.uri, requireUser: true) != nil else {
            throw CSCFRejection(
                .forbidden, reason: "unsupported-identity", "To \(to.uriText) is no SIP, SIPS or tel URI of a user")
        }
        let domain = configuration.domain
        guard let requestURI = try request.requestURI?.sipURI, requestURI.user == nil,
            requestURI.host == (try? Host(parsing: domain)) ?? .name(domain)
        else {
            throw CSCFRejection(
                .forbidden, reason: "foreign-domain", "the Request-URI is not the home domain sip:\(domain)")
        }
    }

    /// A fresh P-Charging-Vector: a unique `icid-value` (128 random bits, hex) and the type 1 `orig-ioi` naming the
    /// network the REGISTER comes from (TS 24.229 §5.2.2.1, RFC 7315 §4.6). Also the ICID of a session that enters
    /// the core without one.
    public func chargingVector() -> PChargingVector {
        let icid = random(16).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
        return PChargingVector(icidValue: icid, origIOI: configuration.visitedNetworkID ?? configuration.domain)
    }

    /// The `integrity-protected` value the S-CSCF decides by (TS 24.229 §5.2.2, SIP digest with and without TLS): "yes"
    /// when the flow already carries an unexpired registration of the same private identity, "pending" otherwise.
    ///
    /// Only a connection can vouch for its sender: a UDP source address is forged with one packet, and a "yes" lets
    /// the S-CSCF accept a REGISTER without a challenge. So a UDP flow is always "ip-assoc-pending" (every REGISTER
    /// over UDP is authenticated), while TCP and TLS flows, whose peers completed a handshake from their address,
    /// earn "yes" from their registration.
    private func integrityProtection(of flow: UEFlow, for identity: PrivateIdentity?, now: Timestamp) -> String {
        let registration = registrations[flow]
        let bound =
            flow.transport != "udp" && identity != nil && registration?.privateIdentity == identity
            && registration.map { now < $0.expiresAt } == true
        switch (flow.transport == "tls", bound) {
        case (true, true): return "tls-yes"
        case (true, false): return "tls-pending"
        case (false, true): return "ip-assoc-yes"
        case (false, false): return "ip-assoc-pending"
        }
    }

    /// A P-Visited-Network-ID value: a token as it is, anything else as a quoted string (RFC 7315 §4.3).
    static func quotedIfNeeded(_ text: String) -> String {
        let isToken =
            !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
                    || "-.!%*_+`'~".utf8.contains(byte)
            }
        if isToken { return text }
        var quoted = "\""
        for character in text where character != "\r" && character != "\n" {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}
