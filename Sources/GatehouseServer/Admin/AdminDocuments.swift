/// The JSON documents of the admin API (keys in snake_case on the wire). `gatehouse status`, `calls`,
/// `registrations` and the status page read these.

/// `GET /api/status`: the node at a glance.
public struct StatusDocument: Sendable, Codable {
    public var node: String
    public var version: String
    public var uptimeSeconds: Int
    /// Listening and not draining: what `/ready` says.
    public var ready: Bool
    public var draining: Bool
    public var policy: PolicyDocument
    public var calls: CallCounts
    public var registrations: RegistrationCounts
    public var messages: MessageCounts
    /// The last `NodeActivity.historyLimit` seconds, oldest first.
    public var history: [NodeActivity.Sample]
    /// The latest refusals, newest first.
    public var recentRefusals: [NodeActivity.Refusal]

    public struct CallCounts: Sendable, Codable {
        public var active: Int
        public var answered: Int
    }

    public struct RegistrationCounts: Sendable, Codable {
        public var relayed: Int
        public var ims: Int
    }

    public struct MessageCounts: Sendable, Codable {
        public var received: Int
        /// Responses sent, by class (`2xx`).
        public var responses: [String: Int]
        public var refused: Int
        public var dropped: Int
        public var unparseable: Int
    }
}

/// `GET /api/policy`, and the result of `POST /api/reload`.
public struct PolicyDocument: Sendable, Codable {
    public var generation: Int
    /// The file reloads read (absent when the node was given a policy in memory).
    public var file: String?
    public var node: String
    public var realms: [String]
    public var peers: [String]
    public var reloadsApplied: Int
    public var reloadsRefused: Int
}

/// `POST /api/reload`.
public struct ReloadDocument: Sendable, Codable {
    /// `applied` or `refused`.
    public var result: String
    public var generation: Int
    public var addedListeners: [String]
    public var removedListeners: [String]
    /// Why it was refused: every diagnostic, as FILE:LINE:COLUMN: code: message.
    public var problems: [String]
}

/// `GET /api/calls`.
public struct CallsDocument: Sendable, Codable {
    public var calls: [CallSummary]
    /// Calls in progress before the filter.
    public var total: Int
}

/// `GET /api/registrations`.
public struct RegistrationsDocument: Sendable, Codable {
    public var relayed: [RelayedRegistrationSummary]
    public var ims: [IMSRegistrationSummary]
}

/// `POST /api/drain`, `DELETE /api/drain`.
public struct DrainDocument: Sendable, Codable {
    public var draining: Bool
    public var activeCalls: Int
}

/// `GET /api/blocklist`.
public struct BlocklistDocument: Sendable, Codable {
    public var entries: [BlockDocument]
}

/// One block, as `GET /api/blocklist` lists it and `POST /api/blocklist` answers.
public struct BlockDocument: Sendable, Codable {
    public var address: String
    public var reason: String
    public var remainingSeconds: Int
    /// ISO 8601, UTC.
    public var expires: String
    public var escalation: Int
    /// The kernel's nftables set holds it too.
    public var kernel: Bool
}

/// The body of `POST /api/blocklist`.
public struct BlockRequest: Sendable, Codable {
    public var address: String
    /// As in the policy file: `30s`, `10m`, `1h`.
    public var duration: String

    public init(address: String, duration: String) {
        self.address = address
        self.duration = duration
    }
}
