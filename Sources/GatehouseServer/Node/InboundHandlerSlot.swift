import NIOConcurrencyHelpers
import Transport

/// The inbound handler the listeners call, replaceable while they run: a reload installs the handler made for
/// the new policy without rebinding a socket.
final class InboundHandlerSlot: SIPInboundHandler {
    private let current: NIOLockedValueBox<any SIPInboundHandler>
    /// Live capture sees every message here first, as it arrived.
    private let tap: SignallingTapSlot

    init(_ handler: any SIPInboundHandler, tap: SignallingTapSlot) {
        current = NIOLockedValueBox(handler)
        self.tap = tap
    }

    func replace(with handler: any SIPInboundHandler) {
        current.withLockedValue { $0 = handler }
    }

    func received(_ bytes: [UInt8], context: SIPConnectionContext) {
        tap.received(bytes, from: TapAddress(context.remote), on: context.listener)
        current.withLockedValue { $0 }.received(bytes, context: context)
    }

    func framingFailed(_ error: any Error, context: SIPConnectionContext) {
        current.withLockedValue { $0 }.framingFailed(error, context: context)
    }
}
