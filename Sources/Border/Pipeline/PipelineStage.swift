/// The stages a message passes at the border, in the order of policies/README.md's "path of a message": ingress
/// (peer → admission → sanity → trust, noted as `peer` → inbound normalization → numbering → routing → ENUM), then
/// egress (outbound normalization toward the next peer, its numbering). The cases are the trace's labels, not
/// that order.
public enum PipelineStage: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case sanity
    case admission
    case peer
    case inboundNormalization = "inbound-normalization"
    case numbering
    case enumLookup = "enum"
    case routing
    case outboundNormalization = "outbound-normalization"
    case topologyHiding = "topology-hiding"
    case nat

    public var description: String { rawValue }
}
