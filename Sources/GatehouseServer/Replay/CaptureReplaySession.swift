import Capture
import GatehousePolicy
import SIPMessage

/// A whole capture file replayed under a policy: libpcap reads it, `CaptureDecoder` turns packets into SIP
/// messages, `CaptureReplayer` judges each, and the report and the emitted capture are written as it goes.
public struct CaptureReplaySession {
    public let policy: Policy
    public var options = CaptureReplayer.Options()
    /// Called every `progressInterval` packets with the packets read so far (for a progress line).
    public var progress: ((Int) -> Void)?
    public var progressInterval = 100_000

    public init(policy: Policy) {
        self.policy = policy
    }

    /// Replays `capture`; writes the per-message report to `report` and what Gatehouse would have sent to `emit`
    /// when given. Returns the summary.
    public func run(
        capture: String, report: String? = nil, emit: String? = nil
    ) throws(CaptureFileError) -> ReplaySummary {
        let reader = try PcapFileReader(path: capture)
        let reportWriter = try report.map { (path) throws(CaptureFileError) in try ReplayReportWriter(path: path) }
        let emitWriter = try emit.map { (path) throws(CaptureFileError) in try PcapFileWriter(path: path) }
        var options = options
        options.buildsEmitted = emit != nil
        // The steps as text are read only in the report.
        options.recordsTrace = options.recordsTrace || report != nil
        var replayer = CaptureReplayer(policy: policy, options: options)
        var decoderConfiguration = CaptureDecoder.Configuration()
        decoderConfiguration.sipPorts = replayer.sipPorts
        decoderConfiguration.limits = policy.sipLimits
        var decoder = CaptureDecoder(decoderConfiguration)
        var messages: [CapturedMessage] = []
        var packets = 0
        while let packet = try reader.next() {
            decoder.decode(packet, into: &messages)
            for message in messages {
                guard let replayed = replayer.replay(message) else { continue }
                try reportWriter?.write(replayed)
                if let emitWriter {
                    for sent in replayed.emitted {
                        try emitWriter.write(
                            PacketBuilder.udpFrame(
                                from: sent.flow.source, sent.flow.sourcePort, to: sent.flow.destination,
                                sent.flow.destinationPort, payload: sent.bytes),
                            timestamp: replayed.timestamp)
                    }
                }
            }
            messages.removeAll(keepingCapacity: true)
            packets += 1
            if packets % progressInterval == 0 { progress?(packets) }
        }
        var summary = replayer.summary
        summary.capture = decoder.statistics
        try reportWriter?.finish(summary)
        try emitWriter?.flush()
        return summary
    }
}
