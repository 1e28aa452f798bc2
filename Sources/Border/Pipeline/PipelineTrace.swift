/// What the stages did to one message, step by step, for `gatehouse explain`, replay reports and debug logs.
///
/// Recording is off on the live path unless asked for: a stage calls `note` with autoclosures, so a disabled
/// trace costs a branch, not a string. Two things do not depend on the text being recorded, because a replay's
/// verdicts and summary rest on them: the rules that fired (`rules`, named without the message's own values, when
/// `countsRules`) and whether an egress stage touched the message (`changedOnEgress`, always).
public struct PipelineTrace: Hashable, Sendable {
    /// One thing a stage did or decided.
    public struct Entry: Hashable, Sendable, CustomStringConvertible {
        public var stage: PipelineStage
        public var text: String
        public init(stage: PipelineStage, text: String) {
            self.stage = stage
            self.text = text
        }
        public var description: String { "[\(stage)] \(text)" }
    }

    public private(set) var entries: [Entry] = []
    public let isRecording: Bool
    /// The policy rules that changed or judged the message, each as `stage: rule` without the message's values
    /// (`inbound-normalization: rule 2 (remove X-*)`, `numbering: Request-URI`, `numbering: To written for the
    /// peer`, `peer: removed P-Asserted-Identity (untrusted sender)`, `sanity: ignored missing-from-tag`).
    public private(set) var rules: [String] = []
    /// Whether `rules` is kept (a replay's summary); the live path leaves it off.
    public let countsRules: Bool
    /// Whether the outbound stages wrote something into the message: an outbound normalization step ran, or a
    /// number was written in the peer's form.
    public private(set) var changedOnEgress = false

    public init(recording: Bool, countingRules: Bool = false) {
        self.isRecording = recording
        self.countsRules = countingRules
    }

    /// A trace that records nothing (the live path).
    public static let off = PipelineTrace(recording: false)

    public mutating func note(_ stage: PipelineStage, _ text: @autoclosure () -> String) {
        guard isRecording else { return }
        entries.append(Entry(stage: stage, text: text()))
    }

    /// A step that is a policy rule firing: noted as `note` does, and `rule` counted in `rules` (as
    /// `stage: rule`) whether or not the text is recorded.
    public mutating func note(
        _ stage: PipelineStage, _ text: @autoclosure () -> String, rule: @autoclosure () -> String
    ) {
        note(stage, text())
        if countsRules { rules.append(stage.rawValue + ": " + rule()) }
        if stage == .outboundNormalization { changedOnEgress = true }
    }

    /// An egress step wrote a number in the peer's form (`rule`: the field, e.g. `Request-URI`).
    public mutating func noteWrittenForPeer(_ text: @autoclosure () -> String, field: String) {
        note(.numbering, text(), rule: field + " written for the peer")
        changedOnEgress = true
    }
}
