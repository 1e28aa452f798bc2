import SIPMessage

/// The IMS core embedded in this process (`ims.hss: embedded`): a P-CSCF at the access realm, an I-CSCF, the
/// S-CSCFs and the HSS, with the subscribers provisioned into the HSS. Every field but the subscribers has a
/// default, used when the policy omits it.
public struct EmbeddedIMSSettings: Sendable, Hashable {
    /// The P-CSCF's own SIP URI: the Path entry it adds to REGISTERs (RFC 3327, TS 24.229 §5.2.2.1), and its
    /// Record-Route once sessions go through the core. Default `sip:pcscf.DOMAIN`.
    public var pcscf: SIPURI
    /// The S-CSCFs the I-CSCF chooses among by the capabilities each offers (TS 29.228 §6.7). Never empty.
    /// Default: one, `sip:scscf.DOMAIN`, with no capabilities.
    public var scscfs: [SCSCFSettings]
    /// The expiry of registrations the S-CSCF grants. Default 60 s / 3600 s / 7200 s.
    public var registration: ExpirySettings
    /// How challenges live and when failed authentications block a source.
    public var authentication: IMSAuthenticationSettings
    /// The expiry of reg-event subscriptions (RFC 3680, TS 24.229 §5.4.2.1.2) the S-CSCF grants.
    /// Default 60 s / 600000 s / 600000 s: UEs and P-CSCFs subscribe for 600000 s (TS 24.229 §5.1.1.3, §5.2.3),
    /// so the default grants what they ask.
    public var regEvent: ExpirySettings
    /// Provisioned into the HSS when the node starts and on every reload: added or replaced by private identity,
    /// never deleted (subscribers missing from the file stay in the HSS).
    public var subscribers: [ProvisionedSubscriber]
    /// Where emergency calls (`urn:service:sos…` Request-URIs, TS 24.229 §5.2.10) go: `.peer` (a PSAP or the
    /// carrier's emergency gateway; the URN stays the Request-URI) or `.reject`. Default nil: refused with 503,
    /// loudly, so that a lab without a PSAP says so.
    public var emergency: RouteTarget?

    /// The default registration expiries: at least a minute, an hour when the REGISTER does not say, two at most.
    public static let defaultRegistration = ExpirySettings(
        minimumExpires: .seconds(60), defaultExpires: .seconds(3600), maximumExpires: .seconds(7200))
    /// The default reg-event expiries.
    public static let defaultRegEvent = ExpirySettings(
        minimumExpires: .seconds(60), defaultExpires: .seconds(600_000), maximumExpires: .seconds(600_000))

    /// The defaults for `domain`, with `subscribers` provisioned.
    public init(domain: String, subscribers: [ProvisionedSubscriber] = []) {
        pcscf = SIPURI(host: .name("pcscf.\(domain)"))
        scscfs = [SCSCFSettings(name: SIPURI(host: .name("scscf.\(domain)")))]
        registration = Self.defaultRegistration
        authentication = IMSAuthenticationSettings()
        regEvent = Self.defaultRegEvent
        self.subscribers = subscribers
    }
}

/// One S-CSCF of the embedded core.
public struct SCSCFSettings: Sendable, Hashable {
    /// The S-CSCF's SIP URI: its Service-Route and the server name the HSS records for assigned subscribers.
    public var name: SIPURI
    /// The capabilities it offers (TS 29.228 §6.7: numbers whose meaning the operator defines). Default: none.
    public var capabilities: [Int]

    public init(name: SIPURI, capabilities: [Int] = []) {
        self.name = name
        self.capabilities = capabilities
    }
}

/// The expiry a registrar or notifier grants (RFC 3261 §10.3, RFC 6665 §4.2.1.1): a request asking for less than
/// `minimumExpires` is refused with 423 and that minimum, one asking for more than `maximumExpires` gets the
/// maximum, one not asking gets `defaultExpires`. Whole seconds, as the Expires header counts them;
/// `minimumExpires ≤ defaultExpires ≤ maximumExpires`.
public struct ExpirySettings: Sendable, Hashable {
    public var minimumExpires: Duration
    public var defaultExpires: Duration
    public var maximumExpires: Duration

    public init(minimumExpires: Duration, defaultExpires: Duration, maximumExpires: Duration) {
        self.minimumExpires = minimumExpires
        self.defaultExpires = defaultExpires
        self.maximumExpires = maximumExpires
    }
}

/// Authentication at the S-CSCF. Every field has the default shown, used when the policy omits it.
public struct IMSAuthenticationSettings: Sendable, Hashable {
    /// How long the nonce (AKA vector or digest nonce) of a 401 may be answered; a later answer is challenged
    /// afresh. Default 30 s.
    public var challengeLifetime: Duration
    /// When failed authentications block their source.
    public var failures: AuthenticationFailureSettings

    public init(
        challengeLifetime: Duration = .seconds(30),
        failures: AuthenticationFailureSettings = AuthenticationFailureSettings()
    ) {
        self.challengeLifetime = challengeLifetime
        self.failures = failures
    }
}

/// Failed authentications are counted per source address and per private identity: a source that reaches `maximum`
/// within `window` goes onto the admission blocklist for `blockDuration`; an identity that reaches it is locked for
/// `blockDuration` (its REGISTERs get 403 from any source). This stops a source that guesses, and guesses at one
/// subscriber spread over many sources.
public struct AuthenticationFailureSettings: Sendable, Hashable {
    /// Failures allowed within the window. Default 5.
    public var maximum: Int
    /// Default 5 minutes.
    public var window: Duration
    /// How long the source stays blocked. Default 10 minutes.
    public var blockDuration: Duration

    public init(maximum: Int = 5, window: Duration = .seconds(300), blockDuration: Duration = .seconds(600)) {
        self.maximum = maximum
        self.window = window
        self.blockDuration = blockDuration
    }
}
