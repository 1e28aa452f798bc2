import SIPMessage
import Yams

extension PolicyReader {
    /// `sanity: { action, disable, scanners: { action, status, builtin, user_agents } }`; every key optional.
    static func readSanity(_ yaml: Node, reader: inout YAMLReader) -> SanitySettings {
        var settings = SanitySettings()
        guard let entries = reader.mapping(yaml, "sanity", allowed: ["action", "disable", "scanners"]) else {
            return settings
        }
        let override = readSanityOverride(entries, "sanity", reader: &reader)
        settings = settings.overridden(by: override)
        if let node = entries["scanners"] {
            settings.scanners = readScanners(node, reader: &reader)
        }
        return settings
    }

    /// A realm's or a peer's `sanity: { action, disable }` (`what` names it in messages: `peer 'pbx' sanity`).
    static func readSanityOverride(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> SanityOverride? {
        guard let entries = reader.mapping(yaml, what, allowed: ["action", "disable"]) else { return nil }
        return readSanityOverride(entries, what, reader: &reader)
    }

    /// `action` and `disable`, as the node's section and a realm's or a peer's write them.
    private static func readSanityOverride(
        _ entries: [String: Node], _ what: String, reader: inout YAMLReader
    ) -> SanityOverride {
        var override = SanityOverride()
        if let node = entries["action"], let text = reader.string(node, "\(what).action") {
            if let action = SanitySettings.Action(rawValue: text) {
                override.action = action
            } else {
                reader.report(.badValue, "\(what).action '\(text)' must be reject or drop", at: node)
            }
        }
        if let node = entries["disable"], let items = reader.sequence(node, "\(what).disable") {
            var disabled: Set<SanitySettings.Check> = []
            for item in items {
                guard let text = reader.string(item, "\(what).disable entry") else { continue }
                let check = SanitySettings.Check(rawValue: text)
                if SanitySettings.Check.optional.contains(check) {
                    disabled.insert(check)
                } else {
                    let names = SanitySettings.Check.optional.map(\.rawValue).joined(separator: ", ")
                    reader.report(
                        .badValue,
                        "\(what).disable: '\(text)' is not a check that can be turned off (expected: \(names))",
                        at: item)
                }
            }
            override.disabled = disabled
        }
        return override
    }

    private static func readScanners(_ yaml: Node, reader: inout YAMLReader) -> SanitySettings.Scanners {
        var scanners = SanitySettings.Scanners()
        guard
            let entries = reader.mapping(
                yaml, "sanity.scanners", allowed: ["action", "status", "builtin", "user_agents"])
        else { return scanners }
        // nil while the action is unknown (written wrong): a status is then neither used nor questioned.
        var rejects: Bool? = false
        if let node = entries["action"] {
            switch reader.string(node, "sanity.scanners.action") {
            case "drop": rejects = false
            case "reject": rejects = true
            case .some(let text):
                reader.report(.badValue, "sanity.scanners.action '\(text)' must be drop or reject", at: node)
                rejects = nil
            case .none: rejects = nil
            }
        }
        var status = SIPStatus.forbidden
        if let node = entries["status"], let code = reader.integer(node, "sanity.scanners.status", in: 0...Int.max) {
            if !(400...699).contains(code) {
                reader.report(.badStatus, "sanity.scanners.status \(code) must be 400 to 699", at: node)
            } else if rejects == false {
                reader.report(.badValue, "sanity.scanners.status applies only with action: reject", at: node)
            } else {
                status = SIPStatus(code, RouteTarget.defaultReason(for: code))
            }
        }
        if rejects == true { scanners.action = .reject(status) }
        if let node = entries["builtin"], let value = reader.boolean(node, "sanity.scanners.builtin") {
            scanners.builtin = value
        }
        if let node = entries["user_agents"], let items = reader.sequence(node, "sanity.scanners.user_agents") {
            for item in items {
                guard let text = reader.string(item, "sanity.scanners.user_agents entry") else { continue }
                if text.isEmpty || text.count > 128
                    || text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
                {
                    reader.report(
                        .badValue,
                        "sanity.scanners.user_agents: '\(text)' must be 1 to 128 characters of text", at: item)
                } else {
                    scanners.userAgents.append(text)
                }
            }
        }
        return scanners
    }
}
