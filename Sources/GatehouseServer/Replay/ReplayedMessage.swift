import Capture
import GatehousePolicy
import SIPMessage

/// One message of a capture after replay: where it came from, what it was, the verdict, and what Gatehouse would
/// have sent because of it.
public struct ReplayedMessage: Sendable {
    /// Its position among the capture's SIP messages, from 1.
    public var index: Int
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var flow: CapturedFlow
    /// The realm it arrived on; nil when none could be told.
    public var realm: String?
    /// `INVITE`, `REGISTER`…, or the status code of a response; nil when unparseable.
    public var method: String?
    public var statusCode: Int?
    public var callID: String?
    public var verdict: ReplayVerdict
    /// What Gatehouse would have sent: the request toward the far side, a response back to the sender.
    public var emitted: [EmittedMessage]
    /// The pipeline's steps, when the replayer records them.
    public var trace: [PipelineTraceLine]
    /// The policy rules that fired on it (`PipelineTrace.rules`), recorded or not.
    public var rules: [String] = []
}

/// One step of the pipeline as replay records it (`PipelineTrace.Entry`, flattened for the report).
public struct PipelineTraceLine: Hashable, Sendable {
    public var stage: String
    public var text: String
}

/// A message Gatehouse would have sent, from one of its realm's listeners.
public struct EmittedMessage: Sendable {
    public var flow: CapturedFlow
    public var bytes: [UInt8]
}

/// A source the replay would have put on the blocklist.
public struct ReplayBlock: Hashable, Sendable {
    public var address: IPAddress
    /// Nanoseconds since the Unix epoch.
    public var since: Int64
    public var duration: Duration
    public var reason: String
    /// The repeat count (0 for a first block; each repeat doubles the duration).
    public var escalation: Int
}
