import SIPMessage
import Yams

extension PolicyReader {
    /// `mrf: { domain, announcements: {NAME: FILE.wav}, tones: eu|us, conferences: {max_participants, max_rooms},
    /// menus: {NAME: {prompt, digits: {"1": TARGET}, timeout, attempts}}, refusals: {STATUS: NAME} }`. Menus are checked against the
    /// announcements and the other menus, so a prompt or a digit that leads nowhere is an error here, not a 404 later.
    static func readMRF(_ yaml: Node, reader: inout YAMLReader) -> MRFSettings? {
        guard
            let entries = reader.mapping(
                yaml, "mrf", allowed: ["domain", "announcements", "tones", "conferences", "menus", "refusals"],
                required: ["domain"]),
            let domainNode = entries["domain"], let domain = reader.string(domainNode, "mrf.domain")
        else { return nil }
        guard isHost(domain) else {
            reader.report(
                .badValue, "mrf.domain '\(domain)' must be a host name or address (no user, port or scheme)",
                at: domainNode)
            return nil
        }
        var settings = MRFSettings(domain: domain)
        if let node = entries["announcements"] {
            settings.announcements = readAnnouncements(node, reader: &reader)
        }
        if let node = entries["tones"], let text = reader.string(node, "mrf.tones") {
            if let family = MRFSettings.ToneFamily(rawValue: text) {
                settings.tones = family
            } else {
                reader.report(.badValue, "mrf.tones '\(text)' is not eu or us", at: node)
            }
        }
        if let node = entries["conferences"],
            let conferences = reader.mapping(node, "mrf.conferences", allowed: ["max_participants", "max_rooms"])
        {
            if let node = conferences["max_participants"],
                let value = reader.integer(node, "mrf.conferences.max_participants", in: 2...32)
            {
                settings.maxParticipants = value
            }
            if let node = conferences["max_rooms"],
                let value = reader.integer(node, "mrf.conferences.max_rooms", in: 1...10_000)
            {
                settings.maxRooms = value
            }
        }
        if let node = entries["menus"] {
            settings.menus = readMenus(node, announcements: Set(settings.announcements.keys), reader: &reader)
        }
        if let node = entries["refusals"] {
            settings.refusals = readRefusals(node, announcements: Set(settings.announcements.keys), reader: &reader)
        }
        return settings
    }

    private static func readAnnouncements(_ yaml: Node, reader: inout YAMLReader) -> [String: String] {
        var announcements: [String: String] = [:]
        for (name, keyNode, value) in reader.namedEntries(yaml, "mrf.announcements") ?? [] {
            guard isValidName(name) else {
                reader.report(.badName, "announcement '\(name)' must be letters, digits, '-' and '_'", at: keyNode)
                continue
            }
            guard let path = reader.string(value, "mrf.announcements.\(name)") else { continue }
            guard path.lowercased().hasSuffix(".wav"), path.count > 4 else {
                reader.report(.badValue, "mrf.announcements.\(name) '\(path)' must be a .wav file", at: value)
                continue
            }
            announcements[name] = path
        }
        return announcements
    }

    /// `refusals: {404: not-in-service}`: a final status an initial INVITE can be refused with (400–699; not 487,
    /// which is the caller's own CANCEL) → one of the announcements.
    private static func readRefusals(
        _ yaml: Node, announcements: Set<String>, reader: inout YAMLReader
    ) -> [Int: String] {
        var refusals: [Int: String] = [:]
        for (text, keyNode, value) in reader.namedEntries(yaml, "mrf.refusals") ?? [] {
            guard let status = Int(text), (400...699).contains(status), status != 487 else {
                reader.report(
                    .badStatus, "mrf.refusals '\(text)' is not a refusal's status (400-699, not 487)", at: keyNode)
                continue
            }
            guard let name = reader.string(value, "mrf.refusals.\(text)") else { continue }
            guard announcements.contains(name) else {
                reader.report(.badTarget, "mrf.refusals.\(text) '\(name)' is not one of mrf.announcements", at: value)
                continue
            }
            refusals[status] = name
        }
        return refusals
    }

    private static func readMenus(
        _ yaml: Node, announcements: Set<String>, reader: inout YAMLReader
    ) -> [String: MRFMenuSettings] {
        let named = reader.namedEntries(yaml, "mrf.menus") ?? []
        let menuNames = Set(named.map(\.name))
        var menus: [String: MRFMenuSettings] = [:]
        for (name, keyNode, value) in named {
            guard isValidName(name) else {
                reader.report(.badName, "menu '\(name)' must be letters, digits, '-' and '_'", at: keyNode)
                continue
            }
            let what = "mrf.menus.\(name)"
            guard
                let entries = reader.mapping(
                    value, what, allowed: ["prompt", "digits", "timeout", "attempts"], required: ["prompt", "digits"]),
                let promptNode = entries["prompt"], let prompt = reader.string(promptNode, "\(what).prompt")
            else { continue }
            guard announcements.contains(prompt) else {
                reader.report(.badTarget, "\(what).prompt '\(prompt)' is not one of mrf.announcements", at: promptNode)
                continue
            }
            var menu = MRFMenuSettings(prompt: prompt, digits: [:])
            for (digitText, digitNode, targetNode) in entries["digits"].flatMap({
                reader.namedEntries($0, "\(what).digits")
            }) ?? [] {
                guard digitText.count == 1, let digit = digitText.first, "0123456789*#ABCD".contains(digit) else {
                    reader.report(
                        .badValue, "\(what).digits '\(digitText)' is not a DTMF digit (0-9, *, #, A-D)", at: digitNode)
                    continue
                }
                guard let text = reader.string(targetNode, "\(what).digits.\(digitText)") else { continue }
                switch menuTarget(text, announcements: announcements, menus: menuNames) {
                case .success(let target): menu.digits[digit] = target
                case .failure(let problem):
                    reader.report(
                        .badTarget, "\(what).digits.\(digitText) '\(text)': \(problem.message)", at: targetNode)
                }
            }
            if let node = entries["timeout"],
                let timeout = reader.duration(node, "\(what).timeout", in: .seconds(1) ... .seconds(60))
            {
                menu.timeout = timeout
            }
            if let node = entries["attempts"], let attempts = reader.integer(node, "\(what).attempts", in: 1...10) {
                menu.attempts = attempts
            }
            menus[name] = menu
        }
        return menus
    }

    /// Why a menu digit's target is refused.
    struct MenuTargetProblem: Error {
        var message: String
    }

    /// `announce=NAME`, `menu=NAME` (both must exist) or a `sip:`, `sips:` or `tel:` URI to transfer to.
    static func menuTarget(
        _ text: String, announcements: Set<String>, menus: Set<String>
    ) -> Result<MRFMenuSettings.Target, MenuTargetProblem> {
        if text.hasPrefix("announce=") {
            let name = String(text.dropFirst("announce=".count))
            guard announcements.contains(name) else {
                return .failure(MenuTargetProblem(message: "no announcement '\(name)'"))
            }
            return .success(.announcement(name))
        }
        if text.hasPrefix("menu=") {
            let name = String(text.dropFirst("menu=".count))
            guard menus.contains(name) else { return .failure(MenuTargetProblem(message: "no menu '\(name)'")) }
            return .success(.menu(name))
        }
        switch try? URI(parsing: text) {
        case .sip, .tel: return .success(.transfer(text))
        case .other, nil:
            return .failure(MenuTargetProblem(message: "must be announce=NAME, menu=NAME or a sip:, sips: or tel: URI"))
        }
    }

    /// A host for a PSI: what a SIP URI accepts after `@`, with nothing else around it.
    private static func isHost(_ text: String) -> Bool {
        guard !text.isEmpty, !text.contains(where: { "@:;?/ ".contains($0) }),
            case .sip(let uri)? = try? URI(parsing: "sip:x@\(text)")
        else { return false }
        return uri.host.description.lowercased() == text.lowercased()
    }
}
