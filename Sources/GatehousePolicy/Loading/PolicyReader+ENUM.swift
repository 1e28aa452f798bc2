import SIPMessage
import Yams

extension PolicyReader {
    static let enumKeys = [
        "servers", "suffix", "timeout", "attempts", "use_dns", "on_failure", "not_found", "static",
    ]

    static func readENUM(_ yaml: Node, peers: [ReadPeer], reader: inout YAMLReader) -> ENUMSettings {
        var settings = ENUMSettings()
        guard let entries = reader.mapping(yaml, "enum", allowed: enumKeys) else { return settings }
        if let node = entries["servers"] {
            settings.servers = readDNSServers(node, "enum.servers", reader: &reader)
        }
        if let node = entries["suffix"], let text = reader.string(node, "enum.suffix") {
            if case .name = try? Host(parsing: text) {
                settings.suffix = text.hasSuffix(".") ? String(text.dropLast()) : text
            } else {
                reader.report(.badValue, "enum.suffix '\(text)' must be a domain name (e164.arpa)", at: node)
            }
        }
        if let node = entries["timeout"],
            let value = reader.duration(node, "enum.timeout", in: .milliseconds(50) ... .seconds(30))
        {
            settings.timeout = value
        }
        if let node = entries["attempts"], let value = reader.integer(node, "enum.attempts", in: 1...10) {
            settings.attempts = value
        }
        if let node = entries["use_dns"], let value = reader.boolean(node, "enum.use_dns") {
            settings.useDNS = value
        }
        if let node = entries["on_failure"], let text = reader.string(node, "enum.on_failure") {
            if let value = ENUMSettings.FailureHandling(rawValue: text) {
                settings.onFailure = value
            } else {
                reader.report(.badValue, "enum.on_failure '\(text)' is not one of static, reject", at: node)
            }
        }
        if let node = entries["not_found"], let value = reader.integer(node, "enum.not_found", in: 400...699) {
            settings.notFound = value
        }
        if let node = entries["static"], let named = reader.namedEntries(node, "enum.static") {
            var seen: Set<String> = []
            for (pattern, keyNode, value) in named {
                guard isStaticENUMPattern(pattern) else {
                    reader.report(
                        .badNumberPrefix,
                        "enum.static '\(pattern)' must be '+', digits, then optional 'x's (at most 15 in all)",
                        at: keyNode)
                    continue
                }
                guard seen.insert(pattern.lowercased()).inserted else {
                    reader.report(.duplicateKey, "enum.static '\(pattern)' is given twice", at: keyNode)
                    continue
                }
                if let target = readENUMTarget(value, "enum.static '\(pattern)'", peers: peers, reader: &reader) {
                    settings.staticEntries.append(ENUMSettings.StaticEntry(pattern: pattern, target: target))
                }
            }
        }
        return settings
    }

    /// `+1555123`, `+1555123xxxx`, `+`.
    static func isStaticENUMPattern(_ text: String) -> Bool {
        guard text.hasPrefix("+") else { return false }
        let body = text.dropFirst()
        let digits = body.prefix(while: \.isASCIIDigitCharacter)
        let rest = body.dropFirst(digits.count)
        return body.count <= 15 && rest.allSatisfy { $0 == "x" || $0 == "X" }
    }

    /// `peer:NAME` or `reject:STATUS`.
    static func readENUMTarget(
        _ yaml: Node, _ what: String, peers: [ReadPeer], reader: inout YAMLReader
    ) -> ENUMSettings.Target? {
        guard let text = reader.string(yaml, what) else { return nil }
        if text.hasPrefix("peer:") {
            let name = String(text.dropFirst("peer:".count))
            guard let peer = peers.first(where: { $0.peer.name == name })?.peer else {
                reader.report(.unknownPeer, "\(what): peer '\(name)' is not defined", at: yaml)
                return nil
            }
            guard hasDestination(peer) else {
                reader.report(
                    .noDestination,
                    "\(what): peer '\(name)' has no single address, next_hop or credentials, so there is nowhere to send to",
                    at: yaml)
                return nil
            }
            return .peer(name)
        }
        let codeText = text.dropFirst("reject:".count)
        if text.hasPrefix("reject:"), codeText.count == 3, codeText.allSatisfy(\.isASCIIDigitCharacter),
            let code = Int(codeText), (400...699).contains(code)
        {
            return .reject(code)
        }
        reader.report(.badTarget, "\(what) '\(text)' is not peer:NAME or reject:STATUS", at: yaml)
        return nil
    }
}
