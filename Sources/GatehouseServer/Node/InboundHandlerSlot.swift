import NIOConcurrencyHelpers
import Transport

/// The inbound handler the listeners call, replaceable while they run: a reload installs the handler made for
/// the new policy without rebinding a socket.
final class InboundHandlerSlot: SIPInboundHandler {
    private let current: NIOLockedValueBox<any SIPInboundHandler>

    init(_ handler: any SIPInboundHandler) {
        current = NIOLockedValueBox(handler)
    }

    func replace(with handler: any SIPInboundHandler) {
        current.withLockedValue { $0 = handler }
    }

    func received(_ bytes: [UInt8], context: SIPConnectionContext) {
        current.withLockedValue { $0 }.received(bytes, context: context)
    }

    func framingFailed(_ error: any Error, context: SIPConnectionContext) {
        current.withLockedValue { $0 }.framingFailed(error, context: context)
    }
}
