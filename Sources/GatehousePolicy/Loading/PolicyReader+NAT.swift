import Yams

extension PolicyReader {
    /// `nat: { fix_contact, force_rport, keepalive, keepalive_method, keepalive_for, keepalive_failures }` on a
    /// realm; every key optional. `keepalive: off` (or no key) sends none.
    static func readNAT(_ yaml: Node, realm: String, reader: inout YAMLReader) -> NATSettings {
        let what = "realm '\(realm)' nat"
        var settings = NATSettings()
        guard
            let entries = reader.mapping(
                yaml, what,
                allowed: [
                    "fix_contact", "force_rport", "keepalive", "keepalive_method", "keepalive_for",
                    "keepalive_failures",
                ])
        else { return settings }
        if let node = entries["fix_contact"], let value = reader.boolean(node, "\(what).fix_contact") {
            settings.fixContact = value
        }
        if let node = entries["force_rport"], let value = reader.boolean(node, "\(what).force_rport") {
            settings.forceRport = value
        }
        var intervalIsWrong = false
        if let node = entries["keepalive"] {
            if case .scalar(let scalar) = node, scalar.string == "off" {
                settings.keepaliveInterval = nil
            } else {
                settings.keepaliveInterval = reader.duration(
                    node, "\(what).keepalive", in: .seconds(1) ... .seconds(3600))
                intervalIsWrong = settings.keepaliveInterval == nil
            }
        }
        if let node = entries["keepalive_method"] {
            settings.keepaliveMethod =
                readChoice(node, "\(what).keepalive_method", reader: &reader) ?? settings.keepaliveMethod
        }
        if let node = entries["keepalive_for"] {
            settings.keepaliveTarget =
                readChoice(node, "\(what).keepalive_for", reader: &reader) ?? settings.keepaliveTarget
        }
        if let node = entries["keepalive_failures"],
            let value = reader.integer(node, "\(what).keepalive_failures", in: 1...100)
        {
            settings.keepaliveFailures = value
        }
        // An interval written wrong is reported once, not again through the keys that need it.
        if settings.keepaliveInterval == nil && !intervalIsWrong {
            for key in ["keepalive_method", "keepalive_for", "keepalive_failures"] {
                guard let node = entries[key] else { continue }
                reader.report(.badValue, "\(what).\(key) needs a keepalive interval (keepalive: 30s)", at: node)
            }
        }
        return settings
    }

    /// One of an enumeration's raw values, or a diagnostic listing them.
    static func readChoice<Choice: RawRepresentable & CaseIterable>(
        _ node: Node, _ what: String, reader: inout YAMLReader
    ) -> Choice? where Choice.RawValue == String {
        guard let text = reader.string(node, what) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: " or ")
            reader.report(.badValue, "\(what) '\(text)' must be \(allowed)", at: node)
            return nil
        }
        return choice
    }
}
