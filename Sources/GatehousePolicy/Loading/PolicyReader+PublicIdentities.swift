import SIPMessage
import Yams

extension PolicyReader {
    static let publicIdentityKeys = ["identity", "implicit_set", "barred", "service_profile", "service_identity"]

    /// A subscriber's `public_identities`: strings, or mappings for options. Each identity is claimed in
    /// `claimed`; a named service profile must be one of `profiles` (without a name, the first is used).
    static func readPublicIdentities(
        _ yaml: Node, _ what: String, owner: String, profiles: [String], claimed: inout ClaimedIdentities,
        reader: inout YAMLReader
    ) -> [ProvisionedSubscriber.PublicIdentity]? {
        guard let items = reader.sequence(yaml, "\(what) public_identities") else { return nil }
        guard !items.isEmpty else {
            reader.report(.badValue, "\(what) needs at least one public identity", at: yaml)
            return nil
        }
        var identities: [ProvisionedSubscriber.PublicIdentity] = []
        var valid = true
        for item in items {
            var identityNode = item
            var entries: [String: Node] = [:]
            if case .mapping = item {
                guard
                    let mapped = reader.mapping(
                        item, "a public identity of \(what)", allowed: publicIdentityKeys, required: ["identity"]),
                    let node = mapped["identity"]
                else {
                    valid = false
                    continue
                }
                entries = mapped
                identityNode = node
            }
            guard let text = reader.string(identityNode, "\(what) public identity") else {
                valid = false
                continue
            }
            var identity = ProvisionedSubscriber.PublicIdentity(text, serviceProfile: profiles.first)
            switch parsePublicIdentity(text) {
            case .success(let parsed):
                identity.isWildcard = parsed.isWildcard
                valid =
                    claimed.claimPublic(parsed.key, written: text, owner: owner, at: identityNode, reader: &reader)
                    && valid
            case .failure(let problem):
                let column = problem.offset.flatMap { columnOffset(of: $0, in: text, node: identityNode) }
                reader.report(
                    problem.code, "\(what): public identity '\(text)' \(problem.message)", at: identityNode,
                    columnOffset: column ?? 0)
                valid = false
            }
            valid = readIdentityOptions(entries, into: &identity, what, profiles: profiles, reader: &reader) && valid
            identities.append(identity)
        }
        return valid ? identities : nil
    }

    /// `implicit_set`, `barred`, `service_profile` and `service_identity` of one identity; false after a problem.
    static func readIdentityOptions(
        _ entries: [String: Node], into identity: inout ProvisionedSubscriber.PublicIdentity, _ what: String,
        profiles: [String], reader: inout YAMLReader
    ) -> Bool {
        var valid = true
        if let node = entries["implicit_set"], let name = reader.string(node, "\(what) implicit_set") {
            if isValidName(name) {
                identity.implicitSet = name
            } else {
                reader.report(
                    .badName, "\(what): implicit_set '\(name)' must be letters, digits, '-' and '_'", at: node)
                valid = false
            }
        }
        if let node = entries["barred"] {
            if let value = reader.boolean(node, "\(what) barred") { identity.isBarred = value } else { valid = false }
        }
        if let node = entries["service_identity"] {
            if let value = reader.boolean(node, "\(what) service_identity") {
                identity.isServiceIdentity = value
            } else {
                valid = false
            }
        }
        if let node = entries["service_profile"], let name = reader.string(node, "\(what) service_profile") {
            if profiles.contains(name) {
                identity.serviceProfile = name
            } else {
                let known = profiles.isEmpty ? "it has none" : "it has \(profiles.joined(separator: ", "))"
                reader.report(
                    .unknownServiceProfile,
                    "\(what): service profile '\(name)' is not in its service_profiles (\(known))",
                    at: node)
                valid = false
            }
        }
        return valid
    }

    /// What is wrong with a written public identity, and where in its text when that is known.
    struct IdentityProblem: Error {
        var code: PolicyDiagnostic.Code
        var message: String
        var offset: Int?
    }

    /// A public identity's canonical key (the form the HSS compares, as IMSInterfaces' `PublicIdentity` and
    /// `WildcardedIdentity` write it) and whether it is wildcarded.
    ///
    /// A distinct identity is `sip:`/`sips:` `[USER@]HOST` (a `user=phone` parameter allowed) or a global
    /// `tel:+NUMBER`; anything else it might carry (a port, parameters, headers) the HSS would drop, so two
    /// identities that look different could be one. A wildcarded identity has one `!REGEX!` part, and is such an
    /// identity with that part replaced by a placeholder.
    static func parsePublicIdentity(_ text: String) -> Result<(key: String, isWildcard: Bool), IdentityProblem> {
        let parts = text.split(separator: "!", omittingEmptySubsequences: false)
        guard parts.count > 1 else {
            return distinctIdentityKey(text).map { (key: $0, isWildcard: false) }
        }
        guard parts.count == 3, !parts[1].isEmpty else {
            return .failure(
                IdentityProblem(
                    code: .badIdentity,
                    message: "must have exactly one '!…!' part, a regular expression between two '!'"))
        }
        do {
            _ = try UserPattern(String(parts[1]))
        } catch {
            let offset = error.offset.map { parts[0].count + 1 + $0 }
            return .failure(
                IdentityProblem(
                    code: .badRegex,
                    message:
                        "has a wildcard that does not compile\(offset.map { " at character \($0 + 1)" } ?? ""): \(error.message)",
                    offset: offset))
        }
        let isTel = parts[0].lowercased().hasPrefix("tel:")
        // The placeholder fits where the wildcard usually stands: digits of a number, characters of a user part.
        let placeholder = isTel ? "0" : "x"
        if case .failure(let problem) = distinctIdentityKey(parts[0] + placeholder + parts[2]) {
            return .failure(
                IdentityProblem(
                    code: problem.code, message: "with its wildcard replaced by '\(placeholder)' \(problem.message)"))
        }
        var prefix = String(parts[0])
        if let colon = prefix.firstIndex(of: ":") { prefix = prefix[..<colon].lowercased() + prefix[colon...] }
        let suffix = parts[2].hasPrefix("@") ? parts[2].lowercased() : String(parts[2])
        return .success((key: "\(prefix)!\(parts[1])!\(suffix)", isWildcard: true))
    }

    /// The canonical key of a distinct identity: `sip:user@host` with scheme and host in lower case, or
    /// `tel:+digits` without visual separators.
    static func distinctIdentityKey(_ text: String) -> Result<String, IdentityProblem> {
        let uri: URI
        do {
            uri = try URI(parsing: text)
        } catch {
            return .failure(IdentityProblem(code: .badIdentity, message: "is not a SIP or tel URI: \(error.detail)"))
        }
        switch uri {
        case .sip(let sip):
            guard sip.password == nil, sip.port == nil, sip.headers.isEmpty,
                sip.parameters.allSatisfy({ $0.name.lowercased() == "user" })
            else {
                return .failure(
                    IdentityProblem(
                        code: .badIdentity,
                        message:
                            "must be written \(sip.scheme):USER@DOMAIN, without password, port, headers or parameters other than user"
                    ))
            }
            return .success("\(sip.scheme):" + (sip.user.map { "\($0)@" } ?? "") + sip.host.description.lowercased())
        case .tel(let tel):
            guard tel.isGlobal, tel.parameters.isEmpty else {
                return .failure(
                    IdentityProblem(
                        code: .badIdentity, message: "must be a global number without parameters (tel:+15550100001)"))
            }
            return .success("tel:" + tel.digitsOnly)
        case .other(let scheme, _):
            return .failure(
                IdentityProblem(
                    code: .badIdentity, message: "is a \(scheme): URI; public identities are sip:, sips: or tel:"))
        }
    }
}
