import Yams

extension PolicyReader {
    static func readTimers(_ yaml: Node, reader: inout YAMLReader) -> TimerSettings {
        var timers = TimerSettings()
        let keys: [(String, WritableKeyPath<TimerSettings, Duration>, ClosedRange<Duration>)] = [
            ("t1", \.t1, .milliseconds(50) ... .seconds(10)),
            ("t2", \.t2, .milliseconds(100) ... .seconds(60)),
            ("t4", \.t4, .milliseconds(100) ... .seconds(60)),
            ("invite_timeout", \.inviteTimeout, .seconds(10) ... .seconds(3600)),
            ("session_expires", \.sessionExpires, .seconds(90) ... .seconds(86_400)),
            ("min_se", \.minSE, .seconds(90) ... .seconds(86_400)),
        ]
        guard let entries = reader.mapping(yaml, "timers", allowed: keys.map(\.0)) else { return timers }
        var valid: Set<String> = []
        for (key, path, range) in keys {
            if let node = entries[key], let value = reader.duration(node, "timers.\(key)", in: range) {
                timers[keyPath: path] = value
                valid.insert(key)
            }
        }
        if timers.t2 < timers.t1, valid.contains("t2") || valid.contains("t1") {
            reader.report(
                .badValue,
                "timers.t2 (\(YAMLReader.format(timers.t2))) must not be less than t1 (\(YAMLReader.format(timers.t1)))",
                at: entries["t2"] ?? entries["t1"])
        }
        if timers.minSE > timers.sessionExpires, valid.contains("min_se") || valid.contains("session_expires") {
            reader.report(
                .badValue,
                "timers.min_se (\(YAMLReader.format(timers.minSE))) must not exceed session_expires (\(YAMLReader.format(timers.sessionExpires)))",
                at: entries["min_se"] ?? entries["session_expires"])
        }
        return timers
    }

    static func readNodeLimits(_ yaml: Node, reader: inout YAMLReader) -> NodeLimits {
        var limits = NodeLimits()
        let counts: [(String, WritableKeyPath<NodeLimits, Int>, ClosedRange<Int>)] = [
            ("max_calls", \.maxCalls, 1...10_000_000),
            ("max_connections", \.maxConnections, 1...1_000_000),
            ("max_connections_per_address", \.maxConnectionsPerAddress, 1...1_000_000),
        ]
        guard let entries = reader.mapping(yaml, "limits", allowed: counts.map(\.0) + ["tcp_idle_timeout"]) else {
            return limits
        }
        for (key, path, range) in counts {
            if let node = entries[key], let value = reader.integer(node, "limits.\(key)", in: range) {
                limits[keyPath: path] = value
            }
        }
        if let node = entries["tcp_idle_timeout"],
            let value = reader.duration(node, "limits.tcp_idle_timeout", in: .seconds(1) ... .seconds(86_400))
        {
            limits.tcpIdleTimeout = value
        }
        if limits.maxConnectionsPerAddress > limits.maxConnections {
            reader.report(
                .badValue,
                "limits.max_connections_per_address (\(limits.maxConnectionsPerAddress)) must not exceed max_connections (\(limits.maxConnections))",
                at: entries["max_connections_per_address"] ?? entries["max_connections"])
        }
        return limits
    }
}

extension PolicyReader {
    static func readDNS(_ yaml: Node, reader: inout YAMLReader) -> DNSSettings {
        var settings = DNSSettings()
        guard
            let entries = reader.mapping(yaml, "dns", allowed: ["servers", "timeout", "attempts", "max_ttl"])
        else { return settings }
        if let node = entries["servers"] { settings.servers = readDNSServers(node, "dns.servers", reader: &reader) }
        if let node = entries["timeout"],
            let value = reader.duration(node, "dns.timeout", in: .milliseconds(50) ... .seconds(30))
        {
            settings.timeout = value
        }
        if let node = entries["attempts"], let value = reader.integer(node, "dns.attempts", in: 1...10) {
            settings.attempts = value
        }
        if let node = entries["max_ttl"],
            let value = reader.duration(node, "dns.max_ttl", in: .seconds(1) ... .seconds(86_400))
        {
            settings.maximumTTL = value
        }
        return settings
    }

    /// A list of DNS servers: `192.0.2.53`, `127.0.0.1:5353`, `[2001:db8::53]:53`.
    static func readDNSServers(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> [DNSSettings.Server] {
        guard let items = reader.sequence(yaml, what) else { return [] }
        var servers: [DNSSettings.Server] = []
        for item in items {
            guard let text = reader.string(item, "\(what) entry") else { continue }
            switch parseHostPort(Self.withDefaultPort(text)) {
            case .success(let address):
                servers.append(DNSSettings.Server(host: address.host, port: address.port))
            case .failure(let problem):
                reader.report(.badAddress, "\(what) '\(text)': \(problem.message)", at: item)
            }
        }
        return servers
    }

    /// A DNS server as written, with port 53 added where it has none: `192.0.2.53` → `192.0.2.53:53`,
    /// `2001:db8::53` → `[2001:db8::53]:53`; `ADDRESS:PORT` and `[ADDRESS]:PORT` stay as they are.
    private static func withDefaultPort(_ text: String) -> String {
        let colons = text.filter { $0 == ":" }.count
        if text.hasPrefix("[") || colons == 1 { return text }
        return colons == 0 ? "\(text):53" : "[\(text)]:53"
    }
}
