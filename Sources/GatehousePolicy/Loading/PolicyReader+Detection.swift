import Yams

extension PolicyReader {
    /// `firewall: { kernel_blocklist, table }`; both optional.
    static func readFirewall(_ yaml: Node, reader: inout YAMLReader) -> FirewallSettings? {
        guard let entries = reader.mapping(yaml, "firewall", allowed: ["kernel_blocklist", "table"]) else {
            return nil
        }
        var settings = FirewallSettings()
        if let node = entries["kernel_blocklist"], let value = reader.boolean(node, "firewall.kernel_blocklist") {
            settings.kernelBlocklist = value
        }
        if let node = entries["table"], let name = reader.string(node, "firewall.table") {
            if isValidName(name) {
                settings.table = name
            } else {
                reader.report(
                    .badName, "firewall.table '\(name)' must be 1 to 64 letters, digits, '-' and '_'", at: node)
            }
        }
        return settings
    }

    /// `detection: { block_for, scanners, sweeps, enumeration, malformed }`; every key optional.
    static func readDetection(_ yaml: Node, reader: inout YAMLReader) -> DetectionSettings {
        var settings = DetectionSettings()
        let keys = ["block_for", "scanners", "sweeps", "enumeration", "malformed"]
        guard let entries = reader.mapping(yaml, "detection", allowed: keys) else { return settings }
        if let node = entries["block_for"],
            let value = reader.duration(node, "detection.block_for", in: .seconds(1) ... .seconds(604_800))
        {
            settings.blockFor = value
        }
        if let node = entries["scanners"], let action = readDetectionAction(node, "detection.scanners", &reader) {
            settings.scanners = action
        }
        if let node = entries["sweeps"] {
            settings.sweeps = readThreshold(
                node, "detection.sweeps", countKey: "distinct", default: settings.sweeps, &reader)
        }
        if let node = entries["enumeration"] {
            settings.enumeration = readThreshold(
                node, "detection.enumeration", countKey: "distinct", default: settings.enumeration, &reader)
        }
        if let node = entries["malformed"] {
            settings.malformed = readThreshold(
                node, "detection.malformed", countKey: "count", default: settings.malformed, &reader)
        }
        return settings
    }

    /// `off`, or `{ COUNTKEY: N, within: DURATION, action: ACTION }` with each key optional (the default's value).
    private static func readThreshold(
        _ yaml: Node, _ what: String, countKey: String, default fallback: DetectionSettings.Threshold?,
        _ reader: inout YAMLReader
    ) -> DetectionSettings.Threshold? {
        if case .scalar(let scalar) = yaml, scalar.string == "off" { return nil }
        guard let entries = reader.mapping(yaml, what, allowed: [countKey, "within", "action"]) else {
            return fallback
        }
        var threshold = fallback ?? DetectionSettings.Threshold(count: 10, window: .seconds(60))
        if let node = entries[countKey], let value = reader.integer(node, "\(what).\(countKey)", in: 2...10_000) {
            threshold.count = value
        }
        if let node = entries["within"],
            let value = reader.duration(node, "\(what).within", in: .seconds(1) ... .seconds(3600))
        {
            threshold.window = value
        }
        if let node = entries["action"], let action = readDetectionAction(node, "\(what).action", &reader) {
            threshold.action = action
        }
        return threshold
    }

    private static func readDetectionAction(
        _ yaml: Node, _ what: String, _ reader: inout YAMLReader
    ) -> DetectionSettings.Action? {
        guard let text = reader.string(yaml, what) else { return nil }
        guard let action = DetectionSettings.Action(rawValue: text) else {
            reader.report(.badValue, "\(what) '\(text)' is not one of block, drop, log", at: yaml)
            return nil
        }
        return action
    }
}
