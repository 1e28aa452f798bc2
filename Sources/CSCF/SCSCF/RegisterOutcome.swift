import IMSInterfaces
import SIPMessage

/// What the S-CSCF answers one REGISTER with, and what it changed.
public struct RegisterOutcome: Sendable {
    /// The final response to send back toward the I-CSCF: 200, 401 (a challenge), or a failure.
    public var response: SIPMessage
    /// One change per registration set the REGISTER changed (for reg-event and the P-CSCF); empty for challenges,
    /// failures, and REGISTERs that only asked for the bindings.
    public var changes: [RegistrationChange]
    /// Why the REGISTER failed: set for every non-2xx response except a 401 challenge (fresh, `stale=true`, or
    /// after resynchronisation), which is the normal first half of a registration.
    public var failure: CSCFRejection?
    /// The UE answered a challenge with the wrong response (wrong password, or RES of another vector): what
    /// per-IMPI and per-source failure counters count.
    public var authenticationFailed: Bool
    /// Who the REGISTER was about, once known (the Authorization's username, or derived from To).
    public var privateIdentity: PrivateIdentity?

    public init(
        response: SIPMessage, changes: [RegistrationChange] = [], failure: CSCFRejection? = nil,
        authenticationFailed: Bool = false, privateIdentity: PrivateIdentity? = nil
    ) {
        self.response = response
        self.changes = changes
        self.failure = failure
        self.authenticationFailed = authenticationFailed
        self.privateIdentity = privateIdentity
    }
}
