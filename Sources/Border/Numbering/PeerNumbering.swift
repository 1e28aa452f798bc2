import SIPMessage

/// The places in a request where a number is normalized, validated or written in the peer's form.
public enum NumberField: Hashable, Sendable, CaseIterable {
    case requestURI
    case from
    case to
    case pAssertedIdentity
}

/// One peer's numbering as the policy configures it: its plan, its validation rules, and which fields they apply
/// to in each direction.
///
/// The split between normalizing and validating is deliberate: every number should leave in one form, but only
/// the called number (the Request-URI) decides whether a call may go on; refusing a call over the caller's From is
/// a separate choice the policy makes by adding `.from` or `.pAssertedIdentity` to `validatedFields`.
public struct PeerNumbering: Hashable, Sendable {
    public var plan: NumberingPlan
    public var validation: NumberValidation
    /// Fields whose numbers are rewritten to E.164 when a request arrives from this peer. Default: all four.
    public var normalizedFields: Set<NumberField>
    /// Fields whose numbers must pass `validation` on the way in. Default: the Request-URI.
    public var validatedFields: Set<NumberField>
    /// Fields whose numbers are written in `plan.outboundFormat` when a request goes to this peer. Default: all four.
    public var denormalizedFields: Set<NumberField>
    /// Whether a SIP user of digits without `user=phone` counts as a number. Default: true, as PBXs rarely set it.
    public var acceptsNumericUser: Bool
    /// The scheme numbers in `denormalizedFields` are written in toward this peer; nil keeps each URI's scheme.
    public var uriForm: URIForm?
    /// Whether every SIP URI toward this peer whose user is a global number gets `user=phone` (the policy's
    /// `user_phone`), whichever field it is in. Default: false.
    public var flagsUserPhone: Bool

    public init(
        plan: NumberingPlan = NumberingPlan(), validation: NumberValidation = NumberValidation(),
        normalizedFields: Set<NumberField> = Set(NumberField.allCases),
        validatedFields: Set<NumberField> = [.requestURI],
        denormalizedFields: Set<NumberField> = Set(NumberField.allCases), acceptsNumericUser: Bool = true,
        uriForm: URIForm? = nil, flagsUserPhone: Bool = false
    ) {
        self.plan = plan
        self.validation = validation
        self.normalizedFields = normalizedFields
        self.validatedFields = validatedFields
        self.denormalizedFields = denormalizedFields
        self.acceptsNumericUser = acceptsNumericUser
        self.uriForm = uriForm
        self.flagsUserPhone = flagsUserPhone
    }

    /// The URI of `field` of a request from this peer, its number normalized (if the field is configured) and
    /// validated (if configured). Errors carry the status the policy picked for their code. A field not configured
    /// comes back unchanged with a nil `number`.
    public func inbound(_ uri: URI, in field: NumberField) -> Result<NumberedURI, NumberingError> {
        guard normalizedFields.contains(field) || validatedFields.contains(field) else {
            return .success(NumberedURI(uri: uri, number: nil))
        }
        let normalized = plan.normalize(uri: uri, acceptingNumericUser: acceptsNumericUser)
        return
            normalized
            .flatMap { (numbered: NumberedURI) -> Result<NumberedURI, NumberingError> in
                guard let number = numbered.number, validatedFields.contains(field) else { return .success(numbered) }
                return validation.validate(number).map { _ in numbered }
            }
            .map { normalizedFields.contains(field) ? $0 : NumberedURI(uri: uri, number: $0.number) }
            .mapError { validation.applyingStatuses(to: $0) }
    }

    /// `inbound(_:in:)` for a name-addr value (From, To, P-Asserted-Identity): display name and header parameters
    /// kept.
    public func inbound(_ value: NameAddress, in field: NumberField) -> Result<NameAddress, NumberingError> {
        inbound(value.uri, in: field).map { numbered in
            guard numbered.uri != value.uri else { return value }
            var rewritten = value
            rewritten.uri = numbered.uri
            return rewritten
        }
    }

    /// The URI of `field` of a request going to this peer, its number in the peer's form when the field is
    /// configured (the number's form only; `outbound(_:in:host:)` also writes the scheme).
    public func outbound(_ uri: URI, in field: NumberField) -> URI {
        denormalizedFields.contains(field) ? plan.denormalize(uri: uri) : uri
    }
}
