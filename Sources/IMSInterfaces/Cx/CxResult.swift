/// The outcome of a Cx exchange (TS 29.229 §6.2): Diameter's success codes and the experimental results the CSCFs
/// turn into SIP responses (TS 24.229 §5.3.1.3 and §5.4.1.2).
public enum CxResult: Hashable, Sendable, CustomStringConvertible {
    /// DIAMETER_SUCCESS (2001 in the base protocol).
    case success
    /// DIAMETER_FIRST_REGISTRATION (2001).
    case firstRegistration
    /// DIAMETER_SUBSEQUENT_REGISTRATION (2002): an S-CSCF is already assigned.
    case subsequentRegistration
    /// DIAMETER_UNREGISTERED_SERVICE (2003).
    case unregisteredService
    /// DIAMETER_ERROR_USER_UNKNOWN (5001).
    case userUnknown
    /// DIAMETER_ERROR_IDENTITIES_DONT_MATCH (5002): the public identity is not the private one's.
    case identitiesDontMatch
    /// DIAMETER_ERROR_IDENTITY_NOT_REGISTERED (5003).
    case identityNotRegistered
    /// DIAMETER_ERROR_ROAMING_NOT_ALLOWED (5004).
    case roamingNotAllowed
    /// DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED (5006).
    case authSchemeNotSupported
    /// DIAMETER_ERROR_IN_ASSIGNMENT_TYPE (5007).
    case inAssignmentType
    /// DIAMETER_AUTHORIZATION_REJECTED (base 5003): barred, or a service identity that may not register.
    case authorizationRejected
    /// DIAMETER_UNABLE_TO_COMPLY (base 5012): the HSS failed (its store, say).
    case unableToComply

    /// True for the 2xxx results.
    public var isSuccess: Bool {
        switch self {
        case .success, .firstRegistration, .subsequentRegistration, .unregisteredService: true
        default: false
        }
    }

    /// The Diameter result code.
    public var code: Int {
        switch self {
        case .success: 2001
        case .firstRegistration: 2001
        case .subsequentRegistration: 2002
        case .unregisteredService: 2003
        case .userUnknown: 5001
        case .identitiesDontMatch: 5002
        case .identityNotRegistered: 5003
        case .roamingNotAllowed: 5004
        case .authSchemeNotSupported: 5006
        case .inAssignmentType: 5007
        case .authorizationRejected: 5003
        case .unableToComply: 5012
        }
    }

    public var description: String {
        switch self {
        case .success: "DIAMETER_SUCCESS"
        case .firstRegistration: "DIAMETER_FIRST_REGISTRATION"
        case .subsequentRegistration: "DIAMETER_SUBSEQUENT_REGISTRATION"
        case .unregisteredService: "DIAMETER_UNREGISTERED_SERVICE"
        case .userUnknown: "DIAMETER_ERROR_USER_UNKNOWN"
        case .identitiesDontMatch: "DIAMETER_ERROR_IDENTITIES_DONT_MATCH"
        case .identityNotRegistered: "DIAMETER_ERROR_IDENTITY_NOT_REGISTERED"
        case .roamingNotAllowed: "DIAMETER_ERROR_ROAMING_NOT_ALLOWED"
        case .authSchemeNotSupported: "DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED"
        case .inAssignmentType: "DIAMETER_ERROR_IN_ASSIGNMENT_TYPE"
        case .authorizationRejected: "DIAMETER_AUTHORIZATION_REJECTED"
        case .unableToComply: "DIAMETER_UNABLE_TO_COMPLY"
        }
    }
}
