import SIPMessage

/// Security mechanism agreement (RFC 3329), which Gatehouse does not offer: no IPsec security associations are set
/// up with UEs (TS 33.203 §7), so a UE's sec-agree headers end at the P-CSCF.
extension ProxyCSCF {
    /// The rejection's `reason` for a REGISTER that requires `sec-agree`.
    public static let secAgreeUnsupported = "sec-agree-unsupported"

    /// A UE that requires the agreement (`sec-agree` in Require or Proxy-Require) gets 420 Bad Extension with
    /// `Unsupported: sec-agree` (RFC 3329 §2.3.1, RFC 3261 §16.3 step 5 for Proxy-Require). Forwarding without the
    /// agreement it insists on would pretend a protection that is not there.
    func refuseRequiredSecurityAgreement(_ request: SIPMessage) throws {
        let required = try request.headers.optionTags(.require) + request.headers.optionTags(.proxyRequire)
        if required.contains(.secAgree) {
            throw CSCFRejection(
                .badExtension, reason: Self.secAgreeUnsupported,
                "the UE requires sec-agree; Gatehouse offers TLS or no access security, not IPsec")
        }
    }

    /// Removes what a UE that merely offers the agreement sent for it: Security-Client and Security-Verify, and
    /// `sec-agree` in Supported (TS 24.228 §6.2, flow R1-1c: they are not forwarded beyond the P-CSCF). A
    /// Proxy-Require or Supported left empty is removed.
    func removeSecurityAgreement(from request: inout SIPMessage) throws {
        request.headers.remove(.securityClient)
        request.headers.remove(.securityVerify)
        for name in [HeaderName.supported, .proxyRequire] where request.headers.contains(name) {
            let tags = try request.headers.optionTags(name)
            guard tags.contains(.secAgree) else { continue }
            let kept = tags.filter { $0 != .secAgree }
            request.headers.remove(name)
            if !kept.isEmpty { request.headers.append(name, kept.map(\.name).joined(separator: ", ")) }
        }
    }

    /// The response to `request` that a P-CSCF rejection stands for: status and reason phrase, and the
    /// `Unsupported: sec-agree` a 420 must carry (RFC 3261 §20.40).
    public static func response(
        rejecting request: SIPMessage, with rejection: CSCFRejection, toTag: String?
    ) -> SIPMessage {
        var response = SIPMessage.response(to: request, status: rejection.status, toTag: toTag)
        if rejection.reason == secAgreeUnsupported {
            response.headers.append(.unsupported, OptionTag.secAgree)
        }
        return response
    }
}
