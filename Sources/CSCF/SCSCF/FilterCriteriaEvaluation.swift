import IMSInterfaces
import SIPMessage

/// What an initial filter criterion's trigger point is evaluated against (TS 29.228 Annex B.2.3, TS 24.229
/// §5.4.3.2 step 4 and §5.4.3.3 step 2): the request as the S-CSCF has it and the session case it handles it in.
public struct FilterCriteriaRequest: Sendable {
    public var method: String
    /// The Request-URI as written.
    public var requestURI: String
    public var headers: SIPHeaders
    /// The SDP body, when the request has one.
    public var sessionDescription: ArraySlice<UInt8>?
    public var sessionCase: SessionCase

    public init(
        method: String, requestURI: String, headers: SIPHeaders = SIPHeaders(),
        sessionDescription: ArraySlice<UInt8>? = nil, sessionCase: SessionCase
    ) {
        self.method = method
        self.requestURI = requestURI
        self.headers = headers
        self.sessionDescription = sessionDescription
        self.sessionCase = sessionCase
    }

    /// A request as the S-CSCF received it, in `sessionCase`.
    public init?(_ request: SIPMessage, sessionCase: SessionCase) {
        guard let method = request.method, let line = request.requestLine else { return nil }
        let isSDP = request.headers.firstString(.contentType).map { $0.lowercased().hasPrefix("application/sdp") }
        self.init(
            method: method.rawValue, requestURI: String(decoding: line.uri, as: UTF8.self), headers: request.headers,
            sessionDescription: isSDP == true && !request.body.isEmpty ? request.body : nil, sessionCase: sessionCase)
    }
}

/// Evaluating initial filter criteria (TS 29.228 Annex B.2.2–B.2.3, TS 23.218 §6.4): the criteria of a service
/// profile are tried in ascending priority; the first whose trigger point matches (and whose profile part fits the
/// served user's registration state) names the application server the request goes through next. After the AS
/// returns it (with the original dialog identifier), evaluation resumes after that criterion's priority.
///
/// Regular expressions (Request-URI, header values, SDP line content) use Swift `Regex` syntax and match anywhere
/// in the text, as a POSIX `regexec` does (`^…$` anchors a whole match). A pattern that does not compile matches
/// nothing: a broken criterion must not send every request to its AS.
extension ServiceProfile {
    /// The first criterion with a priority above `priority` (all when nil) that applies to `request`, or nil.
    public func nextCriterion(
        for request: FilterCriteriaRequest, isRegistered: Bool, after priority: Int? = nil
    ) -> InitialFilterCriterion? {
        initialFilterCriteria.first { criterion in
            if let priority, criterion.priority <= priority { return false }
            switch criterion.profilePart {
            case .registered?: if !isRegistered { return false }
            case .unregistered?: if isRegistered { return false }
            case nil: break
            }
            return criterion.triggerPoint?.matches(request) ?? true
        }
    }
}

extension TriggerPoint {
    /// CNF: every group has a trigger that matches; DNF: some group has all its triggers matching. An empty
    /// trigger point matches nothing (the policy refuses empty ones; this keeps a stored one harmless).
    public func matches(_ request: FilterCriteriaRequest) -> Bool {
        guard !groups.isEmpty else { return false }
        switch form {
        case .conjunctive:
            return groups.allSatisfy { group in group.contains { $0.matches(request) } }
        case .disjunctive:
            return groups.contains { group in !group.isEmpty && group.allSatisfy { $0.matches(request) } }
        }
    }
}

extension ServicePointTrigger {
    /// The condition's outcome, inverted when negated (`ConditionNegated`).
    public func matches(_ request: FilterCriteriaRequest) -> Bool {
        conditionHolds(request) != isNegated
    }

    private func conditionHolds(_ request: FilterCriteriaRequest) -> Bool {
        switch condition {
        case .method(let method):
            // Methods are case-sensitive (RFC 3261 §7.1).
            return request.method == method
        case .requestURI(let pattern):
            return Self.search(pattern, in: request.requestURI)
        case .header(let name, let value):
            let values = request.headers.fieldValues(HeaderName(name)).map { String(decoding: $0, as: UTF8.self) }
            guard let value else { return !values.isEmpty }
            return values.contains { Self.search(value, in: $0) }
        case .sessionCase(let sessionCase):
            return request.sessionCase == sessionCase
        case .sdpLine(let line, let content):
            let lines = Self.sdpLines(request.sessionDescription, type: line)
            guard let content else { return !lines.isEmpty }
            return lines.contains { Self.search(content, in: $0) }
        }
    }

    /// Whether `pattern` matches somewhere in `text`; false for a pattern that does not compile.
    static func search(_ pattern: String, in text: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.firstMatch(in: text)) != nil
    }

    /// The content of the SDP lines of `type` (`m` for `m=audio …`), in order.
    static func sdpLines(_ body: ArraySlice<UInt8>?, type: String) -> [String] {
        guard let body else { return [] }
        let prefix = type.lowercased() + "="
        return String(decoding: body, as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .compactMap { line in
                let text = line.hasSuffix("\r") ? line.dropLast() : line
                return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : nil
            }
    }
}
