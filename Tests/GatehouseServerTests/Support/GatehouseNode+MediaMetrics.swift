import GatehouseServer
import TestSupport

extension GatehouseNode {
    /// The node's `/metrics` text once the relay has reported its streams: a stream's counters reach the metrics
    /// when it ends, a moment after the call's last message, so a test reading them at once could miss them.
    func metricsOnceStreamsReported(within timeout: Duration = .seconds(5)) async -> String {
        _ = await eventually(timeout) {
            String(decoding: await metricsExposition(), as: UTF8.self).contains("gatehouse_media_streams_total")
        }
        return String(decoding: await metricsExposition(), as: UTF8.self)
    }
}
