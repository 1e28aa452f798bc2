import GatehousePolicy
import SIPMessage

/// Runs a `rewrite`: on each field value of a header (`part: value`), on the URI of each name-addr value of a
/// header (`part: user | host | params`), or on the Request-URI.
///
/// Text is handled as `String` only here, one value at a time, for the regular expression. A result that would not
/// parse back (a host that is not a host, a URI broken by its new parameters, a Request-URI of another scheme) is
/// refused: the value stays as it was and the report says why. A value that is not UTF-8 is left alone.
enum HeaderRewriter {
    static func apply(_ rewrite: HeaderRewrite, to message: inout SIPMessage) -> RewriteReport {
        var report = RewriteReport()
        switch rewrite.target {
        case .requestURI:
            rewriteRequestURI(rewrite, in: &message, report: &report)
        case .header(let name):
            let indices = message.headers.indices(of: name)
            if indices.isEmpty { report.absence = "no \(name) header" }
            for index in indices {
                if rewrite.part == .value {
                    rewriteValue(at: index, rewrite, in: &message.headers, report: &report)
                } else {
                    rewriteAddresses(at: index, rewrite, in: &message.headers, report: &report)
                }
            }
        }
        return report
    }

    // MARK: Header values

    private static func rewriteValue(
        at index: Int, _ rewrite: HeaderRewrite, in headers: inout SIPHeaders, report: inout RewriteReport
    ) {
        guard let text = String(validating: headers.value(at: index), as: UTF8.self) else {
            report.refusals.append("a value that is not UTF-8")
            return
        }
        guard let new = rewrite.pattern.replacingFirstMatch(in: text, with: rewrite.replacement), new != text else {
            return
        }
        headers.replaceValue(at: index, with: Array(new.utf8))
        report.changes.append(RewriteReport.Change(from: text, to: new))
    }

    /// Each value of the field (a list field holds several) is read as a name-addr and its URI rewritten. Values
    /// that are not rewritten are written back as they were; a rewritten one in canonical form.
    private static func rewriteAddresses(
        at index: Int, _ rewrite: HeaderRewrite, in headers: inout SIPHeaders, report: inout RewriteReport
    ) {
        let field = headers.value(at: index)
        guard let values = try? SIPHeaders.splitList(field) else {
            report.refusals.append("'\(String(decoding: field, as: UTF8.self))' has unbalanced quotes or brackets")
            return
        }
        var rebuilt: [UInt8] = []
        var changed = false
        for value in values {
            if !rebuilt.isEmpty { rebuilt.append(contentsOf: ", ".utf8) }
            if value.elementsEqual("*".utf8) {
                rebuilt.append(contentsOf: value)  // Contact: *, which has no URI
                continue
            }
            guard var address = try? NameAddress(parsing: value) else {
                report.refusals.append("'\(String(decoding: value, as: UTF8.self))' is not a name-addr")
                rebuilt.append(contentsOf: value)
                continue
            }
            switch rewriteURI(address.uri, rewrite) {
            case .rewritten(let uri, let change):
                address.uri = uri
                rebuilt.append(contentsOf: address.serialized)
                report.changes.append(change)
                changed = true
            case .unmatched:
                rebuilt.append(contentsOf: value)
            case .refused(let reason):
                report.refusals.append(reason)
                rebuilt.append(contentsOf: value)
            }
        }
        if changed { headers.replaceValue(at: index, with: rebuilt) }
    }

    // MARK: Request-URI

    private static func rewriteRequestURI(
        _ rewrite: HeaderRewrite, in message: inout SIPMessage, report: inout RewriteReport
    ) {
        guard case .request(var line) = message.startLine else {
            report.absence = "a response has no Request-URI"
            return
        }
        guard let text = String(validating: line.uri, as: UTF8.self) else {
            report.refusals.append("a Request-URI that is not UTF-8")
            return
        }
        let result: URIRewrite
        if rewrite.part == .value {
            if let new = rewrite.pattern.replacingFirstMatch(in: text, with: rewrite.replacement), new != text {
                if let uri = try? URI(parsing: new) {
                    result = .rewritten(uri, RewriteReport.Change(from: text, to: new))
                } else {
                    result = .refused("'\(new)' is not a URI")
                }
            } else {
                result = .unmatched
            }
        } else if let uri = try? URI(parsing: line.uri[...]) {
            result = rewriteURI(uri, rewrite)
        } else {
            result = .refused("the Request-URI '\(text)' does not parse")
        }
        switch result {
        case .rewritten(let uri, let change):
            // What `SIPMessage.validate()` asks of a Request-URI: a SIP, SIPS or tel URI, without URI headers.
            let routable =
                switch uri {
                case .sip(let sip): sip.headers.isEmpty
                case .tel: true
                case .other: false
                }
            guard routable else {
                report.refusals.append("'\(uri)' cannot be a Request-URI (a sip, sips or tel URI without headers)")
                return
            }
            line.uri = rewrite.part == .value ? Array(change.to.utf8) : Array(uri.description.utf8)
            message.startLine = .request(line)
            report.changes.append(change)
        case .unmatched:
            break
        case .refused(let reason):
            report.refusals.append(reason)
        }
    }

    // MARK: URI parts

    enum URIRewrite {
        case rewritten(URI, RewriteReport.Change)
        case unmatched
        case refused(String)
    }

    /// The URI with the first match in its `part` replaced; the change is of the part's text.
    static func rewriteURI(_ uri: URI, _ rewrite: HeaderRewrite) -> URIRewrite {
        let current: String
        let build: (String) throws(RefusalReason) -> URI
        switch (rewrite.part, uri) {
        case (.value, _):
            current = uri.description
            build = { (text) throws(RefusalReason) in try parse(text) }
        case (.user, .sip(let sip)):
            current = sip.user ?? ""
            build = { user in
                var rewritten = sip
                rewritten.user = user.isEmpty ? nil : user
                if user.isEmpty { rewritten.password = nil }
                return .sip(rewritten)
            }
        case (.user, .tel(let tel)):
            current = tel.number
            build = { number in
                var rewritten = tel
                rewritten.number = number
                return .tel(rewritten)
            }
        case (.host, .sip(let sip)):
            current = sip.host.description
            build = { (text) throws(RefusalReason) in
                var rewritten = sip
                rewritten.host = try parseHost(text)
                return .sip(rewritten)
            }
        case (.params, .sip(let sip)):
            var bare = sip
            bare.parameters = []
            bare.headers = []
            var withParameters = sip
            withParameters.headers = []
            let (base, upToHeaders) = (bare.description, withParameters.description)
            current = String(upToHeaders.dropFirst(base.count + (upToHeaders.count > base.count ? 1 : 0)))
            let tail = String(sip.description.dropFirst(upToHeaders.count))
            build = { (parameters) throws(RefusalReason) in try parse(join(base, parameters, tail)) }
        case (.params, .tel(let tel)):
            let base = TelURI(number: tel.number).description
            let full = tel.description
            current = String(full.dropFirst(base.count + (full.count > base.count ? 1 : 0)))
            build = { (parameters) throws(RefusalReason) in try parse(join(base, parameters, "")) }
        case (let part, _):
            return .refused("a \(uri.scheme): URI has no \(part)")
        }
        guard let new = rewrite.pattern.replacingFirstMatch(in: current, with: rewrite.replacement), new != current
        else { return .unmatched }
        do {
            // What is written must read back: refuse rather than send a URI nobody can parse.
            let text = try build(new).description
            guard let reparsed = try? URI(parsing: text) else { return .refused("'\(text)' would not be a valid URI") }
            return .rewritten(reparsed, RewriteReport.Change(from: current, to: new))
        } catch {
            return .refused(error.text)
        }
    }

    struct RefusalReason: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    private static func parseHost(_ text: String) throws(RefusalReason) -> Host {
        do {
            return try Host(parsing: text)
        } catch {
            throw RefusalReason("'\(text)' is not a host: \(error.detail)")
        }
    }

    private static func parse(_ text: String) throws(RefusalReason) -> URI {
        do {
            return try URI(parsing: text)
        } catch {
            throw RefusalReason("'\(text)' would not be a valid URI: \(error.detail)")
        }
    }

    /// `base;parameters` + `tail`; a leading `;` in the new parameters is not doubled.
    private static func join(_ base: String, _ parameters: String, _ tail: String) -> String {
        let parameters = parameters.hasPrefix(";") ? String(parameters.dropFirst()) : parameters
        return base + (parameters.isEmpty ? "" : ";" + parameters) + tail
    }
}

/// What a rewrite did to the values it looked at.
struct RewriteReport: Hashable, Sendable, CustomStringConvertible {
    struct Change: Hashable, Sendable, CustomStringConvertible {
        var from: String
        var to: String
        var description: String { "'\(from)' → '\(to)'" }
    }

    var changes: [Change] = []
    /// Results that were not applied, and why.
    var refusals: [String] = []
    /// Why there was nothing to rewrite at all.
    var absence: String?

    var description: String {
        var parts = changes.map(\.description)
        if !refusals.isEmpty { parts.append("refused (left as is): \(refusals.joined(separator: "; "))") }
        if parts.isEmpty { return absence ?? "no match" }
        return parts.joined(separator: "; ")
    }
}
