/// One problem found in a policy file, located to the line and column, in the form compilers use:
/// `policies/lab.yaml:12:7: unknown-key: 'lisen' is not a key of a realm (expected: listen, media)`.
public struct PolicyDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let yamlSyntax = Code(rawValue: "yaml-syntax")
        /// An embedded XML document (a TS 29.228 `ifc_xml`) that does not parse or does not fit its schema.
        public static let badXML = Code(rawValue: "bad-xml")
        public static let unknownKey = Code(rawValue: "unknown-key")
        public static let missingKey = Code(rawValue: "missing-key")
        public static let duplicateKey = Code(rawValue: "duplicate-key")
        public static let wrongType = Code(rawValue: "wrong-type")
        public static let badValue = Code(rawValue: "bad-value")
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        public static let badListener = Code(rawValue: "bad-listener")
        public static let duplicateListener = Code(rawValue: "duplicate-listener")
        public static let badAddress = Code(rawValue: "bad-address")
        public static let badPortRange = Code(rawValue: "bad-port-range")
        public static let overlappingPortRange = Code(rawValue: "overlapping-port-range")
        public static let badName = Code(rawValue: "bad-name")
        // Realms: TLS settings.
        /// A realm has a `tls://` listener but no `tls` settings.
        public static let missingTLS = Code(rawValue: "missing-tls")
        /// A realm has `tls` settings but no `tls://` listener.
        public static let unusedTLS = Code(rawValue: "unused-tls")
        // Peers.
        /// A CIDR prefix length out of range for its family, or host bits set beyond it.
        public static let badPrefixLength = Code(rawValue: "bad-prefix-length")
        /// The same address block belongs to two peers of one realm (or twice to one peer).
        public static let duplicatePeerAddress = Code(rawValue: "duplicate-peer-address")
        /// A reference to a realm that the policy does not define.
        public static let unknownRealm = Code(rawValue: "unknown-realm")
        /// A reference to a peer that the policy does not define.
        public static let unknownPeer = Code(rawValue: "unknown-peer")
        /// Credentials with both or neither of `password` and `ha1`, or an `ha1` that is not a digest in hex; a
        /// subscriber's AKA or digest secrets that are missing or not the hex they must be, or a preferred
        /// authentication scheme its credentials do not allow.
        public static let badCredentials = Code(rawValue: "bad-credentials")
        /// A `next_hop` that is not a SIP URI Gatehouse can send to.
        public static let badURI = Code(rawValue: "bad-uri")
        /// A peer's transport is not one its realm listens on.
        public static let transportNotServed = Code(rawValue: "transport-not-served")
        // Routes.
        /// A `user` pattern that does not compile.
        public static let badRegex = Code(rawValue: "bad-regex")
        /// A `number_prefix` that is not digits with an optional leading `+`.
        public static let badNumberPrefix = Code(rawValue: "bad-number-prefix")
        /// A method that is not a SIP token.
        public static let badMethod = Code(rawValue: "bad-method")
        /// A `to` that is not `peer:NAME`, `ims` or `reject:STATUS[ REASON]`.
        public static let badTarget = Code(rawValue: "bad-target")
        /// A reject status outside 400–699.
        public static let badStatus = Code(rawValue: "bad-status")
        /// A catch-all route that is not the last one: the routes after it could never match.
        public static let unreachableRoute = Code(rawValue: "unreachable-route")
        /// Two routes with the same id.
        public static let duplicateRoute = Code(rawValue: "duplicate-route")
        /// `from_realm` and `from_peer` that can never hold together (the peer is in another realm).
        public static let conflictingMatch = Code(rawValue: "conflicting-match")
        /// A route to a peer that has no address to send to, no `next_hop` and no credentials to register with.
        public static let noDestination = Code(rawValue: "no-destination")
        /// A route targets `ims` but the policy has no `ims` section.
        public static let missingIMS = Code(rawValue: "missing-ims")
        // Normalization (peers.NAME.normalize).
        /// A header name that is not a token, a misplaced `*`, or `request_uri` where only a header may be named.
        public static let badHeaderName = Code(rawValue: "bad-header-name")
        /// A rule that would remove, add, set or rewrite a header Gatehouse keeps for each leg (Via, Call-ID, …).
        public static let protectedHeader = Code(rawValue: "protected-header")
        /// A normalization rule with no action or more than one.
        public static let badRule = Code(rawValue: "bad-rule")
        /// A rewrite replacement with a bad `$`, a control character, or a group its pattern does not have.
        public static let badReplacement = Code(rawValue: "bad-replacement")
        // The IMS core (ims) and its subscribers.
        /// Two keys of which only one may be given (`next_hop` and `hss`; `all` and `any`; two kinds in one trigger
        /// condition), or an embedded-core key beside `next_hop`.
        public static let conflictingKeys = Code(rawValue: "conflicting-keys")
        /// A private identity that is empty or has whitespace, or a public identity that is not a `sip:`, `sips:`
        /// or global `tel:` identity in the form the HSS compares (or a wildcard without one `!…!` part).
        public static let badIdentity = Code(rawValue: "bad-identity")
        /// A private or public identity provisioned twice in one policy or subscriber file.
        public static let duplicateIdentity = Code(rawValue: "duplicate-identity")
        /// A public identity names a service profile its subscriber does not have.
        public static let unknownServiceProfile = Code(rawValue: "unknown-service-profile")
        /// Two initial filter criteria of one service profile with the same priority.
        public static let duplicatePriority = Code(rawValue: "duplicate-priority")
        /// A subscriber needs mandatory capabilities that no S-CSCF of `ims.scscf` has together.
        public static let unservedCapabilities = Code(rawValue: "unserved-capabilities")
        // Timers and limits.
        /// A duration not written `NUMBER` + `ms`, `s`, `m` or `h`.
        public static let badDuration = Code(rawValue: "bad-duration")
    }

    public var file: String
    public var line: Int
    public var column: Int
    public var code: Code
    public var message: String

    public init(file: String, line: Int, column: Int, code: Code, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.code = code
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(code): \(message)" }
}

/// A policy file that cannot be used, with every problem found in it (not just the first).
public struct PolicyValidationError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [PolicyDiagnostic]

    public init(diagnostics: [PolicyDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
