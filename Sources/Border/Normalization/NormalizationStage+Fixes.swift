import GatehousePolicy
import SIPMessage

// The built-in fixes of `normalize`: bounded Max-Forwards and stripped Require options (inbound), long header names
// (outbound). Private headers are a `remove` (HeaderManipulator).

extension NormalizationStage {
    /// Lowers a Max-Forwards above `cap` to it and adds one set to `cap` when there is none (RFC 3261 §16.6 step 3
    /// lets a proxy add it). A Max-Forwards of 0 stays 0: answering 483 is the engine's job.
    static func boundMaxForwards(
        of message: inout SIPMessage, to cap: Int, trace: inout PipelineTrace
    ) throws(IngressRejection) {
        let stage = PipelineStage.inboundNormalization
        let limit = MaxForwards(UInt8(clamping: cap))
        let fields = message.headers.fieldValues(.maxForwards)
        guard let field = fields.first else {
            message.headers.append(.maxForwards, limit)
            trace.note(stage, "max_forwards: added Max-Forwards: \(limit)", rule: "max_forwards")
            return
        }
        guard fields.count == 1 else {
            throw rejection(message, code: "duplicate-max-forwards", "Max-Forwards appears \(fields.count) times")
        }
        let current: MaxForwards
        do {
            current = try MaxForwards(parsing: field)
        } catch {
            throw rejection(message, code: "bad-max-forwards", error.detail)
        }
        if current.value > limit.value {
            message.headers.set(.maxForwards, limit)
            trace.note(stage, "max_forwards: lowered \(current) to \(limit)", rule: "max_forwards")
        }
    }

    /// Removes from Require and Proxy-Require the option tags Gatehouse does not support; a field left with no tag
    /// is removed.
    func stripUnsupportedRequires(of message: inout SIPMessage, trace: inout PipelineTrace) throws(IngressRejection) {
        for name in [HeaderName.require, .proxyRequire] {
            var stripped: [String] = []
            for index in message.headers.indices(of: name).reversed() {
                let values: [ArraySlice<UInt8>]
                var tags: [OptionTag] = []
                do {
                    values = try SIPHeaders.splitList(message.headers.value(at: index))
                    for value in values { tags.append(try OptionTag(parsing: value)) }
                } catch {
                    throw Self.rejection(message, code: "bad-option-tag", "\(name): \(error.detail)")
                }
                let kept = tags.filter(supportedOptionTags.contains)
                guard kept.count < tags.count else { continue }
                stripped.insert(contentsOf: tags.filter { !supportedOptionTags.contains($0) }.map(\.name), at: 0)
                if kept.isEmpty {
                    message.headers.remove(at: index)
                } else {
                    message.headers.replaceValue(at: index, with: Array(kept.map(\.name).joined(separator: ", ").utf8))
                }
            }
            if !stripped.isEmpty {
                trace.note(
                    .inboundNormalization,
                    "strip_unsupported_requires: removed \(stripped.joined(separator: ", ")) from \(name)",
                    rule: "strip_unsupported_requires")
            }
        }
    }

    /// Rewrites every field whose name was written in its compact form (`f:`, `v:`) under its long name, value and
    /// position kept. Returns `f → From` for each.
    static func writeLongHeaderNames(in headers: inout SIPHeaders) -> [String] {
        var renamed: [String] = []
        for index in 0..<headers.count {
            let wireName = headers.wireName(at: index)
            guard wireName.count == 1 else { continue }
            let name = headers.name(at: index)
            guard name.isRegistered, name.compactForm != nil else { continue }
            headers.replaceValue(at: index, with: headers.value(at: index))
            renamed.append("\(String(decoding: wireName, as: UTF8.self)) → \(name)")
        }
        return renamed
    }

    /// A 400 for a request that cannot be normalized; an ACK, which cannot be answered, is dropped.
    static func rejection(_ message: SIPMessage, code: String, _ detail: String) -> IngressRejection {
        IngressRejection(
            stage: .inboundNormalization, code: code,
            answer: message.method == .ack ? .drop : .respond(.badRequest), detail: detail)
    }
}
