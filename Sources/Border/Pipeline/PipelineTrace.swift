/// What the stages did to one message, step by step, for `gatehouse explain`, replay reports and debug logs.
///
/// Recording is off on the live path unless asked for: a stage calls `note` with an autoclosure, so a disabled
/// trace costs a branch, not a string.
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

    public init(recording: Bool) {
        self.isRecording = recording
    }

    /// A trace that records nothing (the live path).
    public static let off = PipelineTrace(recording: false)

    public mutating func note(_ stage: PipelineStage, _ text: @autoclosure () -> String) {
        guard isRecording else { return }
        entries.append(Entry(stage: stage, text: text()))
    }
}
