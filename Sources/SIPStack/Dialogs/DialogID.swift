/// What identifies a dialog at one of its ends: Call-ID, local tag and remote tag (RFC 3261 §12).
///
/// At the UAC the local tag is the From tag and the remote tag the To tag; at the UAS it is the other way round.
/// A peer that sends no tag (RFC 2543) has the empty tag `""` (RFC 3261 §12.1.2: "a value of null").
public struct DialogID: Hashable, Sendable, CustomStringConvertible {
    public var callID: String
    public var localTag: String
    public var remoteTag: String

    public init(callID: String, localTag: String, remoteTag: String) {
        self.callID = callID
        self.localTag = localTag
        self.remoteTag = remoteTag
    }

    public var description: String { "\(callID);local=\(localTag);remote=\(remoteTag)" }
}
