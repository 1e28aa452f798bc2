/// The stages a message passes at the border, in the order of ARCHITECTURE.md's "path of a message": ingress
/// (sanity → admission → peer → normalization → numbering → ENUM → routing), then egress (normalization toward
/// the next peer, topology hiding).
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
