import GatehousePolicy
import SIPMessage

extension SanityCheck {
    /// The response checks: validation, the extra single headers, the body rule, and what a dialog-creating 2xx
    /// needs (RFC 3261 §12.1.1: a To tag and a Contact, one SIP or SIPS URI). Never answered: a failing response
    /// is dropped, and its transaction times out as if it had been lost.
    func checkResponse(_ message: SIPMessage, trace: inout PipelineTrace) throws(IngressRejection) {
        // The dialog checks read what validation parsed (CSeq, To, Contact) rather than parse them again.
        var validated: SIPMessage.ValidatedHeaders?
        switch validation(message) {
        case .passed(let headers): validated = headers
        case .failed(let failure): try enforce(failure, answerable: false, trace: &trace)
        }
        try enforce(duplicatedHeader(message), answerable: false, trace: &trace)
        try enforce(dialogToTag(message, validated), answerable: false, trace: &trace)
        try enforce(dialogContact(message, validated), answerable: false, trace: &trace)
        try enforce(missingContentType(message), answerable: false, trace: &trace)
    }

    /// A 2xx to INVITE, SUBSCRIBE or REFER sets up a dialog, which its To tag names (§8.2.6.2, §12.1.1). Reads
    /// `validated` when validation passed, the message otherwise (a failure the policy chose to ignore).
    func dialogToTag(_ message: SIPMessage, _ validated: SIPMessage.ValidatedHeaders?) -> Failure? {
        Failure.catching { () throws(SIPParseError) in
            guard let what = try dialogCreatingResponse(message, validated) else { return nil }
            let to: NameAddress
            if let parsed = validated?.to { to = parsed } else { to = try message.to }
            return to.tag == nil ? Failure(.missingToTag, .badRequest, "\(what): To has no tag") : nil
        }
    }

    /// A 2xx to INVITE, SUBSCRIBE or REFER gives the dialog's remote target: one SIP or SIPS Contact (§12.1.1,
    /// RFC 6665 §4.1.2, RFC 3515 §2.4.2).
    func dialogContact(_ message: SIPMessage, _ validated: SIPMessage.ValidatedHeaders?) -> Failure? {
        Failure.catching { () throws(SIPParseError) in
            guard let what = try dialogCreatingResponse(message, validated) else { return nil }
            let contacts: [ContactValue]
            if let validated { contacts = validated.contacts } else { contacts = try message.contacts }
            if contacts.isEmpty { return Failure(.missingHeader, .badRequest, "Missing Contact in \(what)") }
            return Self.remoteTargetProblem(contacts, in: what)
        }
    }

    /// `200 to INVITE` when the response is a 2xx that sets up a dialog, else nil.
    private func dialogCreatingResponse(
        _ message: SIPMessage, _ validated: SIPMessage.ValidatedHeaders?
    ) throws(SIPParseError) -> String? {
        guard let code = message.statusCode, (200...299).contains(code) else { return nil }
        let method: SIPMethod
        if let cseq = validated?.cseq { method = cseq.method } else { method = try message.cseq.method }
        return Self.dialogCreatingMethods.contains(method) ? "\(code) to \(method)" : nil
    }

    /// Requests whose 2xx creates a dialog.
    static let dialogCreatingMethods: Set<SIPMethod> = [.invite, .subscribe, .refer]
}
