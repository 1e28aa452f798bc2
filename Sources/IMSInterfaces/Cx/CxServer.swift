/// The HSS as the CSCFs see it: the four Cx exchanges of TS 29.228, as calls. Implementations may block on their
/// store; the assembly calls them off the event loops.
///
/// Errors thrown are failures of the HSS itself (its store unreachable), which a CSCF answers with 500 or 503;
/// answers about the subscriber (unknown, barred, wrong scheme) are results, not errors.
public protocol CxServer: Sendable {
    func userAuthorization(_ request: UserAuthorizationRequest) throws -> UserAuthorizationAnswer
    func multimediaAuth(_ request: MultimediaAuthRequest) throws -> MultimediaAuthAnswer
    func serverAssignment(_ request: ServerAssignmentRequest) throws -> ServerAssignmentAnswer
    func locationInfo(_ request: LocationInfoRequest) throws -> LocationInfoAnswer
}
