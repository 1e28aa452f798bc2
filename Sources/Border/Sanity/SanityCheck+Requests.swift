import GatehousePolicy
import SIPMessage

extension SanityCheck {
    /// The request checks, in the order of the type's documentation; the first that fails decides.
    func checkRequest(_ message: SIPMessage, method: SIPMethod, trace: inout PipelineTrace) throws(IngressRejection) {
        // RFC 3261 §17.1.1.3: an ACK gets no response, whatever is wrong with it.
        let answerable = method != .ack
        if let match = scanners.match(message) {
            let answer: IngressRejection.Answer =
                switch settings.scanners.action {
                case .reject(let status) where answerable: .respond(status)
                case .reject, .drop: .drop
                }
            throw rejection(SanitySettings.Check.scanner.rawValue, answer, match.description, trace: &trace)
        }
        // The checks below read what validation parsed rather than parse From, Contact and Via again.
        let validated: SIPMessage.ValidatedHeaders
        switch validation(message) {
        case .passed(let headers):
            validated = headers
        case .failed(let failure):
            try enforce(failure, answerable: answerable, trace: &trace)
            return
        }
        try enforce(duplicatedHeader(message), answerable: answerable, trace: &trace)
        try enforce(missingMaxForwards(message), answerable: answerable, trace: &trace)
        try enforce(missingHeader(message, method: method), answerable: answerable, trace: &trace)
        try enforce(missingFromTag(validated), answerable: answerable, trace: &trace)
        try enforce(missingToTag(validated, method: method), answerable: answerable, trace: &trace)
        try enforce(badContact(validated, method: method), answerable: answerable, trace: &trace)
        try enforce(missingContentType(message), answerable: answerable, trace: &trace)
        try enforce(loop(validated), answerable: answerable, trace: &trace)
        let hops = tooManyHops(message, validated, method: method, trace: &trace)
        try enforce(hops, answerable: answerable, trace: &trace)
    }

    // MARK: The checks

    /// What `validate(limits:)` made of a message: the headers it parsed, or its first error.
    enum Validation {
        case passed(SIPMessage.ValidatedHeaders)
        case failed(Failure)
    }

    /// `validate(limits:)`: what it parsed, or its first error under its own code and status.
    func validation(_ message: SIPMessage) -> Validation {
        do throws(SIPParseError) {
            return .passed(try message.validated(limits: limits))
        } catch {
            return .failed(Failure(error))
        }
    }

    /// RFC 3261 §8.1.1; RFC 3261 §16.6 step 3 lets a proxy add a missing one for RFC 2543 elements, which is why
    /// the policy may turn this check off.
    func missingMaxForwards(_ message: SIPMessage) -> Failure? {
        message.headers.contains(.maxForwards)
            ? nil : Failure(.missingMaxForwards, .badRequest, "Missing Max-Forwards")
    }

    /// The headers a method cannot do without, beyond the five `validate()` requires of every request.
    func missingHeader(_ message: SIPMessage, method: SIPMethod) -> Failure? {
        for name in Self.requiredHeaders[method] ?? [] where !message.headers.contains(name) {
            return Failure(.missingHeader, .badRequest, "Missing \(name.canonical) in \(method)")
        }
        return nil
    }

    /// RFC 3261 §8.1.1.3: a UAC puts a new tag into every From. RFC 2543 elements did not, hence optional.
    func missingFromTag(_ validated: SIPMessage.ValidatedHeaders) -> Failure? {
        validated.from?.tag == nil ? Failure(.missingFromTag, .badRequest, "From has no tag") : nil
    }

    /// A request that only exists within a dialog identifies it with a To tag; without one no dialog can match
    /// (RFC 3261 §12.2.2, §15.1.2: 481).
    func missingToTag(_ validated: SIPMessage.ValidatedHeaders, method: SIPMethod) -> Failure? {
        guard Self.inDialogMethods.contains(method), validated.to?.tag == nil else { return nil }
        return Failure(.missingToTag, .callDoesNotExist, "\(method) outside a dialog: To has no tag")
    }

    /// RFC 3261 §8.1.1.8: a request that sets up a dialog carries exactly one SIP or SIPS Contact; §10.2.2 and
    /// §10.3 step 6: `*` is a REGISTER's, alone and with `Expires: 0`.
    func badContact(_ validated: SIPMessage.ValidatedHeaders, method: SIPMethod) -> Failure? {
        let contacts = validated.contacts
        if contacts.contains(where: \.isWildcard) {
            guard method == .register else {
                return Failure(.badContact, .badRequest, "Contact '*' is only allowed in REGISTER")
            }
            guard contacts.count == 1, validated.expires?.seconds == 0 else {
                return Failure(.badContact, .badRequest, "Contact '*' must be alone and with Expires: 0")
            }
            return nil
        }
        guard Self.dialogTargetMethods.contains(method) else { return nil }
        return Self.remoteTargetProblem(contacts, in: "\(method)")
    }

    /// One Contact, a SIP or SIPS URI (the remote target of a dialog), or the reason it is not; nil when absent,
    /// which `missingHeader` reports.
    static func remoteTargetProblem(_ contacts: [ContactValue], in what: String) -> Failure? {
        guard !contacts.isEmpty else { return nil }
        guard contacts.count == 1 else {
            return Failure(.badContact, .badRequest, "\(what) has \(contacts.count) Contact values; one is allowed")
        }
        guard case .sip = contacts[0].uri else {
            return Failure(.badContact, .badRequest, "the Contact of \(what) is not a SIP or SIPS URI")
        }
        return nil
    }

    /// RFC 3261 §20.15: a non-empty body is described by Content-Type.
    func missingContentType(_ message: SIPMessage) -> Failure? {
        guard !message.body.isEmpty, !message.headers.contains(.contentType) else { return nil }
        return Failure(.missingContentType, .badRequest, "a body of \(message.body.count) bytes without Content-Type")
    }

    /// RFC 3261 §16.3 step 4: a Via with a sent-by this node writes means the request has passed through the node
    /// before. A proxy may tell a spiral from a loop by recomputing its branch; a B2BUA cannot, so any is a loop.
    func loop(_ validated: SIPMessage.ValidatedHeaders) -> Failure? {
        guard !ownAddresses.isEmpty else { return nil }
        for via in validated.vias where ownAddresses.contains(sentBy: via) {
            return Failure(
                .loopDetected, .loopDetected, "a Via names this node (\(via.host):\(via.portOrDefault)): a loop")
        }
        return nil
    }

    /// RFC 3261 §16.3 step 3: a request with Max-Forwards 0 is not forwarded (483), but an OPTIONS addressed to
    /// the node itself is the node's to answer (§11). `validateForForwarding()`'s check, on the Max-Forwards
    /// validation parsed.
    func tooManyHops(
        _ message: SIPMessage, _ validated: SIPMessage.ValidatedHeaders, method: SIPMethod, trace: inout PipelineTrace
    ) -> Failure? {
        guard validated.maxForwards?.value == 0 else { return nil }
        if method == .options, case .sip(let uri) = try? message.requestURI, ownAddresses.contains(uri) {
            trace.note(.sanity, "Max-Forwards is 0, but an OPTIONS addressed to this node is answered here")
            return nil
        }
        return Failure(SIPParseError(.tooManyHops, status: .tooManyHops, "Max-Forwards is 0"))
    }

    // MARK: Which method needs what

    /// Beyond Via, From, To, Call-ID and CSeq (`validate()`) and Max-Forwards: RFC 3261 §8.1.1.8 and Table 3
    /// (Contact in INVITE); RFC 6665 §8.2.1 (Contact and Event in SUBSCRIBE; those and Subscription-State in
    /// NOTIFY); RFC 3515 §2.4.1 (Refer-To and Contact in REFER); RFC 3262 §7.2 (RAck in PRACK); RFC 3903 §4
    /// (Event in PUBLISH).
    static let requiredHeaders: [SIPMethod: [HeaderName]] = [
        .invite: [.contact],
        .subscribe: [.contact, .event],
        .notify: [.contact, .event, .subscriptionState],
        .refer: [.contact, .referTo],
        .prack: [.rack],
        .publish: [.event],
    ]

    /// Requests whose Contact becomes a dialog's remote target, so it must be one SIP or SIPS URI.
    static let dialogTargetMethods: Set<SIPMethod> = [.invite, .subscribe, .notify, .refer]

    /// Requests sent only inside a dialog: BYE (RFC 3261 §15), PRACK (RFC 3262 §7.1), UPDATE (RFC 3311 §5.1),
    /// INFO (RFC 6086 §4.2.1). NOTIFY is left out: unsolicited NOTIFYs (message waiting) still arrive outside one.
    static let inDialogMethods: Set<SIPMethod> = [.bye, .prack, .update, .info]
}
