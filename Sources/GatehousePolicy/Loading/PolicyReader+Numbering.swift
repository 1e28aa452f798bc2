import Yams

extension PolicyReader {
    static let numberingKeys = [
        "country_code", "national_prefix", "international_prefix", "national_lengths", "send_as", "user_phone",
        "uri_form",
        "normalize", "validate", "outbound", "allowed_country_codes", "country_lengths", "blocked_prefixes",
        "reject_with", "numeric_user",
    ]

    /// The numbering error codes a policy may answer with another status (`reject_with`).
    static let numberingErrorCodes = [
        "not-a-number", "number-too-short", "number-too-long", "unknown-country-code", "unresolvable-phone-context",
        "country-not-allowed", "blocked-prefix",
    ]

    static func readNumbering(_ yaml: Node, peer: String, reader: inout YAMLReader) -> NumberingSettings? {
        let what = "peer '\(peer)' numbering"
        guard let entries = reader.mapping(yaml, what, allowed: numberingKeys) else { return nil }
        let reportedBefore = reader.diagnostics.count
        var settings = NumberingSettings()
        if let node = entries["country_code"], let value = reader.integer(node, "\(what) country_code", in: 1...999) {
            settings.countryCode = value
        }
        if let node = entries["national_prefix"], let value = readDigits(node, "\(what) national_prefix", &reader) {
            settings.nationalPrefix = value
        }
        if let node = entries["international_prefix"],
            let value = readDigits(node, "\(what) international_prefix", &reader)
        {
            settings.internationalPrefix = value
        }
        if let node = entries["national_lengths"],
            let value = readLengthRange(node, "\(what) national_lengths", &reader)
        {
            settings.nationalLengths = value
        }
        // The plan must not contradict itself; checked only when its keys read cleanly, so one mistake is one error.
        let planIsReadable = reader.diagnostics.count == reportedBefore
        if planIsReadable, !settings.internationalPrefix.isEmpty,
            settings.nationalPrefix.hasPrefix(settings.internationalPrefix)
        {
            reader.report(
                .badValue,
                "\(what) national_prefix '\(settings.nationalPrefix)' starts with the international prefix "
                    + "'\(settings.internationalPrefix)', which is read first: no national number could be read",
                at: entries["national_prefix"] ?? entries["international_prefix"])
        }
        if let node = entries["send_as"], let text = reader.string(node, "\(what) send_as") {
            if let form = NumberingSettings.Form(rawValue: text) {
                settings.sendAs = form
            } else {
                let forms = NumberingSettings.Form.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report(.badValue, "\(what) send_as '\(text)' is not one of \(forms)", at: node)
            }
        }
        let userPhone = entries["user_phone"].flatMap { reader.boolean($0, "\(what) user_phone") }
        if let userPhone { settings.userPhone = userPhone }
        if let node = entries["uri_form"], let text = reader.string(node, "\(what) uri_form") {
            if let form = NumberingSettings.URIForm(rawValue: text) {
                settings.uriForm = form
            } else {
                let forms = NumberingSettings.URIForm.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report(.badValue, "\(what) uri_form '\(text)' is not one of \(forms)", at: node)
            }
        }
        // `user_phone` says how SIP URIs are flagged; `uri_form` may already say it, and must not be contradicted.
        if let node = entries["user_phone"], let userPhone, let form = settings.uriForm {
            switch (form, userPhone) {
            case (.tel, true):
                reader.report(
                    .badValue, "\(what) user_phone applies to SIP URIs, and uri_form tel sends tel URIs", at: node)
            case (.sip, false):
                reader.report(
                    .badValue, "\(what) user_phone false contradicts uri_form sip, which always sets user=phone",
                    at: node)
            default:
                break
            }
        }
        if let node = entries["numeric_user"], let value = reader.boolean(node, "\(what) numeric_user") {
            settings.numericUser = value
        }
        for (key, path) in [
            ("normalize", \NumberingSettings.normalize), ("validate", \.validate), ("outbound", \.outbound),
        ] {
            if let node = entries[key], let fields = readFields(node, "\(what) \(key)", &reader) {
                settings[keyPath: path] = fields
            }
        }
        if let node = entries["allowed_country_codes"],
            let items = reader.sequence(node, "\(what) allowed_country_codes")
        {
            settings.allowedCountryCodes = Set(
                items.compactMap { reader.integer($0, "\(what) allowed_country_codes entry", in: 1...999) })
        }
        var lengths: [Int: ClosedRange<Int>] = [settings.countryCode: settings.nationalLengths]
        if let node = entries["country_lengths"], let named = reader.namedEntries(node, "\(what) country_lengths") {
            for (code, keyNode, value) in named {
                guard let country = Int(code), (1...999).contains(country) else {
                    reader.report(.badValue, "\(what) country_lengths: '\(code)' is not a country code", at: keyNode)
                    continue
                }
                guard let range = readLengthRange(value, "\(what) country_lengths \(code)", &reader) else { continue }
                if planIsReadable, country == settings.countryCode, range != settings.nationalLengths {
                    let own = settings.nationalLengths
                    let written =
                        own.lowerBound == own.upperBound ? "\(own.lowerBound)" : "\(own.lowerBound)-\(own.upperBound)"
                    reader.report(
                        .badValue,
                        "\(what) country_lengths \(code) contradicts national_lengths (\(written)): the peer's own "
                            + "country takes national_lengths",
                        at: value)
                    continue
                }
                lengths[country] = range
            }
        }
        settings.countryLengths = lengths
        if let node = entries["blocked_prefixes"], let items = reader.sequence(node, "\(what) blocked_prefixes") {
            for item in items {
                guard let text = reader.string(item, "\(what) blocked_prefixes entry") else { continue }
                let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
                if !digits.isEmpty, digits.count <= 15, digits.allSatisfy(\.isASCIIDigitCharacter) {
                    settings.blockedPrefixes.append("+" + digits)
                } else {
                    reader.report(
                        .badNumberPrefix, "\(what) blocked prefix '\(text)' must be '+' and 1 to 15 digits", at: item)
                }
            }
        }
        if let node = entries["reject_with"], let named = reader.namedEntries(node, "\(what) reject_with") {
            for (code, keyNode, value) in named {
                guard numberingErrorCodes.contains(code) else {
                    reader.report(
                        .unknownKey,
                        "\(what) reject_with: '\(code)' is not a numbering refusal (expected: \(numberingErrorCodes.joined(separator: ", ")))",
                        at: keyNode)
                    continue
                }
                if let status = reader.integer(value, "\(what) reject_with \(code)", in: 400...699) {
                    settings.rejectWith[code] = status
                }
            }
        }
        return settings
    }

    /// Digits only, possibly none (`""`: no prefix).
    private static func readDigits(_ yaml: Node, _ what: String, _ reader: inout YAMLReader) -> String? {
        guard let text = reader.string(yaml, what) else { return nil }
        guard text.count <= 6, text.allSatisfy(\.isASCIIDigitCharacter) else {
            reader.report(.badValue, "\(what) '\(text)' must be up to 6 digits (quote it: \"011\")", at: yaml)
            return nil
        }
        return text
    }

    /// `10` or `"9-10"`.
    private static func readLengthRange(
        _ yaml: Node, _ what: String, _ reader: inout YAMLReader
    ) -> ClosedRange<Int>? {
        guard let text = reader.string(yaml, what) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        let bounds: (Int, Int)? =
            switch parts.count {
            case 1: parts[0].map { ($0, $0) }
            case 2: parts[0].flatMap { low in parts[1].map { (low, $0) } }
            default: nil
            }
        guard let (low, high) = bounds, 1 <= low, low <= high, high <= 14 else {
            reader.report(.badValue, "\(what) '\(text)' must be a length or LOW-HIGH, within 1-14", at: yaml)
            return nil
        }
        return low...high
    }

    private static func readFields(
        _ yaml: Node, _ what: String, _ reader: inout YAMLReader
    ) -> Set<NumberingSettings.Field>? {
        guard let items = reader.sequence(yaml, what) else { return nil }
        var fields: Set<NumberingSettings.Field> = []
        for item in items {
            guard let text = reader.string(item, "\(what) entry") else { continue }
            if let field = NumberingSettings.Field(rawValue: text) {
                fields.insert(field)
            } else {
                let known = NumberingSettings.Field.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report(.badValue, "\(what): '\(text)' is not one of \(known)", at: item)
            }
        }
        return fields
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
