import SIPMessage

/// A rule's `when`: every part given must hold. A message with no part given always qualifies.
public struct RuleCondition: Hashable, Sendable {
    /// The message's method is one of these (a response's method is its CSeq method). Empty: any method.
    public var methods: [SIPMethod]
    /// The message entered Gatehouse from one of these peers. Empty: from anywhere.
    public var peers: [String]
    /// The message has a field whose name matches.
    public var hasHeader: HeaderPattern?
    /// A field of the header (or the Request-URI) has a value in which the pattern is found.
    public var header: HeaderValueMatch?

    public init(
        methods: [SIPMethod] = [], peers: [String] = [], hasHeader: HeaderPattern? = nil,
        header: HeaderValueMatch? = nil
    ) {
        self.methods = methods
        self.peers = peers
        self.hasHeader = hasHeader
        self.header = header
    }
}

/// `header: { name: X-Route, matches: 'b' }`.
public struct HeaderValueMatch: Hashable, Sendable {
    public var target: HeaderTarget
    public var pattern: RewritePattern

    public init(target: HeaderTarget, pattern: RewritePattern) {
        self.target = target
        self.pattern = pattern
    }
}
