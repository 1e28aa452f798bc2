import CSCF
import IMSInterfaces
import SIPMessage
import Synchronization

/// An HSS for the I-CSCF tests: answers UARs and LIRs from closures and keeps the requests it was asked.
final class ICSCFFakeHSS: CxServer {
    struct Unreachable: Error {}

    private let userAuthorizationAnswer: @Sendable (UserAuthorizationRequest) throws -> UserAuthorizationAnswer
    private let locationInfoAnswer: @Sendable (LocationInfoRequest) throws -> LocationInfoAnswer
    private let asked = Mutex<(uar: [UserAuthorizationRequest], lir: [LocationInfoRequest])>(([], []))

    init(
        uaa: @escaping @Sendable (UserAuthorizationRequest) throws -> UserAuthorizationAnswer = { _ in
            UserAuthorizationAnswer(result: .firstRegistration)
        },
        lia: @escaping @Sendable (LocationInfoRequest) throws -> LocationInfoAnswer = { _ in
            LocationInfoAnswer(result: .userUnknown)
        }
    ) {
        userAuthorizationAnswer = uaa
        locationInfoAnswer = lia
    }

    var userAuthorizationRequests: [UserAuthorizationRequest] { asked.withLock { $0.uar } }
    var locationInfoRequests: [LocationInfoRequest] { asked.withLock { $0.lir } }

    func userAuthorization(_ request: UserAuthorizationRequest) throws -> UserAuthorizationAnswer {
        asked.withLock { $0.uar.append(request) }
        return try userAuthorizationAnswer(request)
    }

    func locationInfo(_ request: LocationInfoRequest) throws -> LocationInfoAnswer {
        asked.withLock { $0.lir.append(request) }
        return try locationInfoAnswer(request)
    }

    func multimediaAuth(_ request: MultimediaAuthRequest) throws -> MultimediaAuthAnswer {
        MultimediaAuthAnswer(result: .unableToComply)
    }

    func serverAssignment(_ request: ServerAssignmentRequest) throws -> ServerAssignmentAnswer {
        ServerAssignmentAnswer(result: .unableToComply)
    }
}
