import Yams

extension PolicyReader {
    static let rateKeys = ["calls_per_second", "registers_per_second", "messages_per_second"]

    /// A `limits` mapping of a peer (`allowsConcurrency`) or a realm, or `admission.per_source`.
    static func readTrafficLimits(
        _ yaml: Node, _ what: String, allowsConcurrency: Bool, reader: inout YAMLReader
    ) -> TrafficLimits? {
        let keys = rateKeys + (allowsConcurrency ? ["concurrent_calls"] : []) + ["on_excess", "block_offenders"]
        guard let entries = reader.mapping(yaml, what, allowed: keys) else { return nil }
        var limits = TrafficLimits()
        limits.calls = entries["calls_per_second"].flatMap { readRate($0, "\(what).calls_per_second", &reader) }
        limits.registers = entries["registers_per_second"].flatMap {
            readRate($0, "\(what).registers_per_second", &reader)
        }
        limits.messages = entries["messages_per_second"].flatMap {
            readRate($0, "\(what).messages_per_second", &reader)
        }
        limits.concurrentCalls = entries["concurrent_calls"].flatMap {
            reader.integer($0, "\(what).concurrent_calls", in: 1...10_000_000)
        }
        limits.onExcess = entries["on_excess"].flatMap { readExcessHandling($0, "\(what).on_excess", &reader) }
        limits.blockOffenders = entries["block_offenders"].flatMap {
            reader.boolean($0, "\(what).block_offenders")
        }
        return limits
    }

    /// `20` (per second, a burst of 20) or `{ rate: 20, burst: 60 }`.
    static func readRate(_ yaml: Node, _ what: String, _ reader: inout YAMLReader) -> RateSetting? {
        let range = 1...1_000_000
        if case .mapping = yaml {
            guard let entries = reader.mapping(yaml, what, allowed: ["rate", "burst"], required: ["rate"]),
                let rate = entries["rate"].flatMap({ reader.integer($0, "\(what).rate", in: range) })
            else { return nil }
            guard let node = entries["burst"] else { return RateSetting(perSecond: rate) }
            return reader.integer(node, "\(what).burst", in: range).map { RateSetting(perSecond: rate, burst: $0) }
        }
        if case .scalar(let scalar) = yaml, Int(scalar.string.replacingUnderscores()) == nil {
            reader.report(
                .wrongType, "\(what) '\(scalar.string)' is not a rate: write N (per second) or { rate: N, burst: B }",
                at: yaml)
            return nil
        }
        return reader.integer(yaml, what, in: range).map { RateSetting(perSecond: $0) }
    }

    /// A Retry-After, 1s–1h in whole seconds: the header counts seconds (RFC 3261 §20.33), and a fraction would be
    /// cut off without a word.
    static func readRetryAfter(_ yaml: Node, _ what: String, _ reader: inout YAMLReader) -> Duration? {
        guard let value = reader.duration(yaml, what, in: .seconds(1) ... .seconds(3600)) else { return nil }
        guard value.components.attoseconds == 0 else {
            reader.report(
                .badValue,
                "\(what) must be whole seconds (Retry-After counts seconds), not \(YAMLReader.format(value))",
                at: yaml)
            return nil
        }
        return value
    }

    static func readExcessHandling(_ yaml: Node, _ what: String, _ reader: inout YAMLReader) -> ExcessHandling? {
        guard let text = reader.string(yaml, what) else { return nil }
        guard let value = ExcessHandling(rawValue: text) else {
            reader.report(.badValue, "\(what) '\(text)' is not one of reject, drop", at: yaml)
            return nil
        }
        return value
    }

    static func readAdmission(_ yaml: Node, reader: inout YAMLReader) -> AdmissionSettings {
        var settings = AdmissionSettings()
        let keys = ["per_source", "on_excess", "retry_after", "overload", "block", "allowlist"]
        guard let entries = reader.mapping(yaml, "admission", allowed: keys) else { return settings }
        if let node = entries["per_source"],
            let limits = readTrafficLimits(node, "admission.per_source", allowsConcurrency: false, reader: &reader)
        {
            settings.perSource = limits
        }
        if let node = entries["on_excess"], let value = readExcessHandling(node, "admission.on_excess", &reader) {
            settings.onExcess = value
        }
        if let node = entries["retry_after"] {
            settings.retryAfter = readRetryAfter(node, "admission.retry_after", &reader)
        }
        if let node = entries["overload"] {
            settings.overload = readOverload(node, reader: &reader)
        }
        if let node = entries["block"] {
            if case .scalar(let scalar) = node, scalar.string == "off" {
                settings.block = nil
            } else {
                settings.block = readBlock(node, reader: &reader)
            }
        }
        if let node = entries["allowlist"], let items = reader.sequence(node, "admission.allowlist") {
            for item in items {
                guard let text = reader.string(item, "an allowlist entry") else { continue }
                switch parsePeerAddress(text) {
                case .success(let address) where address.port == nil:
                    settings.allowlist.append(address.prefix)
                case .success:
                    reader.report(.badAddress, "admission.allowlist '\(text)': an address or block, no port", at: item)
                case .failure(let problem):
                    reader.report(problem.code, "admission.allowlist '\(text)': \(problem.message)", at: item)
                }
            }
        }
        return settings
    }

    static func readOverload(_ yaml: Node, reader: inout YAMLReader) -> OverloadSettings? {
        let what = "admission.overload"
        guard
            let entries = reader.mapping(
                yaml, what, allowed: ["high", "low", "retry_after"], required: ["high", "low"]),
            let high = entries["high"].flatMap({ reader.integer($0, "\(what).high", in: 2...10_000_000) }),
            let low = entries["low"].flatMap({ reader.integer($0, "\(what).low", in: 1...10_000_000) })
        else { return nil }
        guard low < high else {
            reader.report(.badValue, "\(what).low (\(low)) must be below high (\(high))", at: entries["low"])
            return nil
        }
        var settings = OverloadSettings(high: high, low: low)
        if let node = entries["retry_after"], let value = readRetryAfter(node, "\(what).retry_after", &reader) {
            settings.retryAfter = value
        }
        return settings
    }

    static func readBlock(_ yaml: Node, reader: inout YAMLReader) -> BlockSettings? {
        let what = "admission.block"
        guard let entries = reader.mapping(yaml, what, allowed: ["after", "within", "for", "max"]) else {
            return nil
        }
        var settings = BlockSettings()
        if let node = entries["after"], let value = reader.integer(node, "\(what).after", in: 1...10_000) {
            settings.violations = value
        }
        if let node = entries["within"],
            let value = reader.duration(node, "\(what).within", in: .milliseconds(100) ... .seconds(3600))
        {
            settings.window = value
        }
        if let node = entries["for"],
            let value = reader.duration(node, "\(what).for", in: .seconds(1) ... .seconds(86_400))
        {
            settings.duration = value
        }
        if let node = entries["max"],
            let value = reader.duration(node, "\(what).max", in: .seconds(1) ... .seconds(604_800))
        {
            settings.maximumDuration = value
        }
        if settings.maximumDuration < settings.duration {
            reader.report(
                .badValue,
                "\(what).max (\(YAMLReader.format(settings.maximumDuration))) must not be less than for (\(YAMLReader.format(settings.duration)))",
                at: entries["max"] ?? entries["for"])
        }
        return settings
    }
}
