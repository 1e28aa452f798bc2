import Yams

extension PolicyReader {
    static let subscriberKeys = [
        "private_identity", "public_identities", "aka", "digest", "authentication", "capabilities",
        "service_profiles",
    ]

    /// A subscriber as read, with where it is written, for the checks that look across subscribers.
    struct ReadSubscriber {
        var subscriber: ProvisionedSubscriber
        var node: Node
        var capabilitiesNode: Node?
    }

    /// A subscriber file for `gatehouse hss import`: `subscribers: [...]` and nothing else. Digest credentials
    /// without a realm take their private identity's.
    static func readSubscriberFile(_ root: Node, reader: inout YAMLReader) -> [ProvisionedSubscriber]? {
        guard
            let top = reader.mapping(root, "a subscriber file", allowed: ["subscribers"], required: ["subscribers"]),
            let node = top["subscribers"]
        else { return nil }
        return readSubscribers(node, "subscribers", digestRealm: nil, reader: &reader).map(\.subscriber)
    }

    /// A list of subscribers (`ims.subscribers`, or a subscriber file's `subscribers`). No private identity and
    /// no public identity may appear twice in it. Digest credentials without a realm take `digestRealm`, or with
    /// nil their private identity's realm.
    static func readSubscribers(
        _ yaml: Node, _ what: String, digestRealm: String?, reader: inout YAMLReader
    ) -> [ReadSubscriber] {
        guard let items = reader.sequence(yaml, what) else { return [] }
        var claimed = ClaimedIdentities()
        return items.enumerated().compactMap { index, item in
            readSubscriber(item, number: index + 1, digestRealm: digestRealm, claimed: &claimed, reader: &reader)
        }
    }

    static func readSubscriber(
        _ yaml: Node, number: Int, digestRealm: String?, claimed: inout ClaimedIdentities, reader: inout YAMLReader
    ) -> ReadSubscriber? {
        guard
            let entries = reader.mapping(
                yaml, "subscriber \(number)", allowed: subscriberKeys,
                required: ["private_identity", "public_identities"])
        else { return nil }
        // A well-formed private identity names the subscriber in later diagnostics, even when it is a duplicate.
        var privateIdentity: String?
        var valid = false
        if let node = entries["private_identity"],
            let text = reader.string(node, "subscriber \(number) private_identity")
        {
            if text.isEmpty || !text.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) {
                reader.report(
                    .badIdentity,
                    "subscriber \(number): private identity '\(text)' must be a name such as user@realm, without spaces or control characters",
                    at: node)
            } else {
                privateIdentity = text
                valid = claimed.claimPrivate(text, at: node, reader: &reader)
            }
        }
        let what = privateIdentity.map { "subscriber '\($0)'" } ?? "subscriber \(number)"

        let profiles = entries["service_profiles"].map { readServiceProfiles($0, what, reader: &reader) }
        valid = valid && profiles?.isValid != false
        let identities = entries["public_identities"].flatMap {
            readPublicIdentities(
                $0, what, owner: privateIdentity ?? what, profiles: profiles?.names ?? [], claimed: &claimed,
                reader: &reader)
        }

        let aka = entries["aka"].flatMap { readAKA($0, what, reader: &reader) }
        // Without a readable private identity the default realm is unknown, not missing: that is reported once.
        let defaultRealm: DigestRealm
        if let digestRealm {
            defaultRealm = .given(digestRealm)
        } else if let privateIdentity {
            defaultRealm = realm(ofPrivateIdentity: privateIdentity).map(DigestRealm.given) ?? .missing
        } else {
            defaultRealm = .unknown
        }
        let digest = entries["digest"].flatMap { readDigest($0, what, defaultRealm: defaultRealm, reader: &reader) }
        let credentialsAreValid = (entries["aka"] == nil || aka != nil) && (entries["digest"] == nil || digest != nil)
        if entries["aka"] == nil && entries["digest"] == nil {
            reader.report(.badCredentials, "\(what) needs credentials: 'aka', 'digest' or both", at: yaml)
        }
        let allowed = ProvisionedSubscriber.allowedSchemes(aka: aka, digest: digest)
        let scheme =
            entries["authentication"].map {
                readPreferredScheme(
                    $0, what, allowed: allowed, credentialsAreValid: credentialsAreValid, reader: &reader)
            } ?? allowed.first

        var capabilities = ProvisionedSubscriber.Capabilities()
        if let node = entries["capabilities"] {
            if let read = readSubscriberCapabilities(node, what, reader: &reader) {
                capabilities = read
            } else {
                valid = false
            }
        }
        guard valid, credentialsAreValid, let privateIdentity, let identities, let scheme, allowed.contains(scheme)
        else { return nil }
        let subscriber = ProvisionedSubscriber(
            privateIdentity: privateIdentity, publicIdentities: identities, aka: aka, digest: digest,
            preferredScheme: scheme, capabilities: capabilities, serviceProfiles: profiles?.profiles ?? [])
        return ReadSubscriber(subscriber: subscriber, node: yaml, capabilitiesNode: entries["capabilities"])
    }

    /// `authentication: aka | digest-md5 | digest-sha256`, which must be one of the `allowed` schemes (checked only
    /// when the credentials themselves are valid, so that a broken credential is reported once).
    static func readPreferredScheme(
        _ yaml: Node, _ what: String, allowed: [ProvisionedSubscriber.AuthenticationScheme], credentialsAreValid: Bool,
        reader: inout YAMLReader
    ) -> ProvisionedSubscriber.AuthenticationScheme? {
        let chosen: ProvisionedSubscriber.AuthenticationScheme? = readChoice(
            yaml, "\(what) authentication", reader: &reader)
        guard let chosen else { return nil }
        if credentialsAreValid && !allowed.contains(chosen) {
            let requirement =
                switch chosen {
                case .aka: "aka credentials"
                case .digestMD5: "digest credentials with a password or an md5 ha1"
                case .digestSHA256: "digest credentials with a password or a sha256 ha1"
                }
            reader.report(.badCredentials, "\(what) authentication '\(chosen)' needs \(requirement)", at: yaml)
        }
        return chosen
    }

    /// `{ mandatory: [1], optional: [2, 3] }`.
    static func readSubscriberCapabilities(
        _ yaml: Node, _ what: String, reader: inout YAMLReader
    ) -> ProvisionedSubscriber.Capabilities? {
        guard let entries = reader.mapping(yaml, "\(what) capabilities", allowed: ["mandatory", "optional"]) else {
            return nil
        }
        var capabilities = ProvisionedSubscriber.Capabilities()
        var valid = true
        for (key, path) in [("mandatory", \ProvisionedSubscriber.Capabilities.mandatory), ("optional", \.optional)] {
            guard let node = entries[key] else { continue }
            if let list = readCapabilityList(node, "\(what) capabilities.\(key)", reader: &reader) {
                capabilities[keyPath: path] = list
            } else {
                valid = false
            }
        }
        return valid ? capabilities : nil
    }

    /// The realm part of a private identity (after its last `@`), in lower case; nil without one.
    static func realm(ofPrivateIdentity identity: String) -> String? {
        guard let at = identity.lastIndex(of: "@"), identity.index(after: at) < identity.endIndex else { return nil }
        return identity[identity.index(after: at)...].lowercased()
    }
}

/// The identities a list of subscribers has provisioned so far, with where: a private identity belongs to one
/// subscriber and a public identity to one entry, or the HSS could not tell which one a request means.
struct ClaimedIdentities {
    private var privateIdentities: [String: Int] = [:]
    private var publicIdentities: [String: (owner: String, line: Int)] = [:]

    /// Records a private identity, or reports it as provisioned before. The realm is compared without case.
    mutating func claimPrivate(_ identity: String, at node: Node, reader: inout YAMLReader) -> Bool {
        var key = identity
        if let at = identity.lastIndex(of: "@") {
            key = identity[...at] + identity[identity.index(after: at)...].lowercased()
        }
        if let line = privateIdentities[key] {
            reader.report(
                .duplicateIdentity, "private identity '\(identity)' is already provisioned (line \(line))", at: node)
            return false
        }
        privateIdentities[key] = node.mark?.line ?? 1
        return true
    }

    /// Records a public identity by its canonical `key`, or reports it as provisioned before.
    mutating func claimPublic(
        _ key: String, written text: String, owner: String, at node: Node, reader: inout YAMLReader
    ) -> Bool {
        if let first = publicIdentities[key] {
            reader.report(
                .duplicateIdentity,
                "public identity '\(text)' is already provisioned for \(first.owner) (line \(first.line))", at: node)
            return false
        }
        publicIdentities[key] = (owner, node.mark?.line ?? 1)
        return true
    }
}
