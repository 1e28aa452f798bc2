import GatehousePolicy
import SIPMessage

extension BorderPolicy {
    /// The ingress stages for one message: identify the peer, admit it, check it is well formed (and not a
    /// scanner's), strip what an untrusted sender may not assert, apply the peer's inbound normalization
    /// (requests and responses), and bring the numbers of an initial request into E.164. Returns the peer the
    /// message came from.
    ///
    /// Admission runs before the sanity checks: a blocked source is dropped before anything answers it, and a
    /// flood of malformed messages is rate limited like any other.
    ///
    /// - Throws: the first stage's refusal, carrying the answer (a status, or a silent drop).
    public func ingress(
        _ message: inout SIPMessage, arrival: IngressArrival, admission: inout AdmissionControl,
        trace: inout PipelineTrace
    ) throws(IngressRejection) -> Peer? {
        var enforcer = NoEnforcer()
        return try ingress(&message, arrival: arrival, admission: &admission, enforcer: &enforcer, trace: &trace)
    }

    /// The ingress stages, with a source that admission blocks also added to `enforcer` (the kernel blocklist).
    public func ingress(
        _ message: inout SIPMessage, arrival: IngressArrival, admission: inout AdmissionControl,
        enforcer: inout some BlocklistEnforcer, trace: inout PipelineTrace
    ) throws(IngressRejection) -> Peer? {
        let peer = policy.peer(for: arrival.source, realm: arrival.realm)
        trace.note(
            .peer,
            peer.map { "from peer \($0.name) (\($0.trust.rawValue)) on realm \(arrival.realm)" }
                ?? "from \(arrival.source), no known peer, on realm \(arrival.realm)")
        try admit(message, peer: peer, arrival: arrival, admission: &admission, enforcer: &enforcer, trace: &trace)
        try checkSanity(of: message, from: peer, realm: arrival.realm, trace: &trace)
        if message.isRequest { removeUntrustedAssertions(&message, peer: peer, trace: &trace) }
        if let peer, let context = RuleContext(peer: peer.name, message: message) {
            try normalization.applyInbound(peer.normalization, to: &message, context: context, trace: &trace)
        }
        guard message.isRequest else { return peer }
        if let peer, let numbering = numbering[peer.name], isInitialRequest(message) {
            try normalizeNumbers(&message, numbering: numbering, peer: peer.name, trace: &trace)
        }
        return peer
    }

    /// Whether a request starts something: no To tag.
    public func isInitialRequest(_ message: SIPMessage) -> Bool {
        message.isRequest && !message.hasToTag
    }

    private func admit(
        _ message: SIPMessage, peer: Peer?, arrival: IngressArrival, admission: inout AdmissionControl,
        enforcer: inout some BlocklistEnforcer, trace: inout PipelineTrace
    ) throws(IngressRejection) {
        let method = message.method ?? (try? message.cseq.method) ?? .options
        let isInitial = isInitialRequest(message)
        let context = AdmissionContext(
            source: arrival.source, realm: arrival.realm, peer: peer?.name, method: method,
            isInitialRequest: isInitial, isResponse: !message.isRequest,
            callID: isInitial && method == .invite ? message.headers.firstString(.callID) ?? "" : "", now: arrival.now)
        let decision = admission.admit(context, enforcer: &enforcer)
        trace.note(.admission, "\(decision)")
        switch decision {
        case .admit:
            return
        case .reject(let status, let retryAfter, let reason):
            throw IngressRejection(
                stage: .admission, code: reason.code.rawValue,
                answer: .respond(status, headers: [IngressRejection.ExtraHeader(.retryAfter, String(retryAfter))]),
                detail: "\(reason)")
        case .drop(let reason):
            throw IngressRejection(stage: .admission, code: reason.code.rawValue, answer: .drop, detail: "\(reason)")
        case .blocked(let until, let reason):
            throw IngressRejection(
                stage: .admission, code: "blocked", answer: .drop, detail: "\(reason), blocked until \(until)")
        }
    }

    /// RFC 3325 §5: P-Asserted-Identity is believed only from inside the trust domain, so one from an untrusted
    /// peer (or an unknown source) is removed on arrival, along with any P-Preferred-Identity it may have sent.
    private func removeUntrustedAssertions(_ message: inout SIPMessage, peer: Peer?, trace: inout PipelineTrace) {
        guard peer?.trust != .trusted else { return }
        let removed = message.headers.remove(.pAssertedIdentity)
        if removed > 0 {
            trace.note(
                .peer, "removed \(removed) P-Asserted-Identity: the sender is not trusted (RFC 3325 §5)",
                rule: "removed P-Asserted-Identity (untrusted sender)")
        }
    }

    private func normalizeNumbers(
        _ message: inout SIPMessage, numbering: PeerNumbering, peer: String, trace: inout PipelineTrace
    ) throws(IngressRejection) {
        if let uri = try? message.requestURI, let method = message.method {
            switch numbering.inbound(uri, in: .requestURI) {
            case .success(let numbered):
                if numbered.uri != uri {
                    trace.note(.numbering, "Request-URI \(uri) → \(numbered.uri)", rule: "Request-URI")
                    message.startLine = .request(RequestLine(method: method, uri: numbered.uri))
                } else if let number = numbered.number {
                    trace.note(.numbering, "Request-URI number \(number) is valid")
                }
            case .failure(let error) where numbering.validatedFields.contains(.requestURI):
                throw IngressRejection(
                    stage: .numbering, code: error.code.rawValue, answer: .respond(error.status),
                    detail: "Request-URI \(uri) from \(peer): \(error.detail)")
            case .failure(let error):
                trace.note(.numbering, "Request-URI \(uri) left as it is: \(error.detail)")
            }
        }
        for (name, field) in Self.numberedHeaders {
            for index in message.headers.indices(of: name) {
                guard let value = try? NameAddress(parsing: message.headers.value(at: index)) else { continue }
                switch numbering.inbound(value, in: field) {
                case .success(let rewritten) where rewritten != value:
                    trace.note(.numbering, "\(name) \(value.uri) → \(rewritten.uri)", rule: name.canonical)
                    message.headers.replaceValue(at: index, with: rewritten)
                case .success:
                    continue
                case .failure(let error) where !numbering.validatedFields.contains(field):
                    // A field that is only normalized (a PBX extension in From) travels on as it came.
                    trace.note(.numbering, "\(name) \(value.uri) left as it is: \(error.detail)")
                case .failure(let error):
                    throw IngressRejection(
                        stage: .numbering, code: error.code.rawValue, answer: .respond(error.status),
                        detail: "\(name) \(value.uri) from \(peer): \(error.detail)")
                }
            }
        }
    }
}
