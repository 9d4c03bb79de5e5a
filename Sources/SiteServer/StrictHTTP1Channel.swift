import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 channel with one more handler right after NIO's request decoder, before Hummingbird's
/// codec: requests RFC 9112 says a server must refuse are answered 400 before Hummingbird turns them into
/// something else — a second `Host` field (§3.2), a target in absolute form (`GET http://evil.example/x`,
/// which Hummingbird would serve as `/x` under the allowed Host), a `Transfer-Encoding` other than `chunked`
/// or one together with `Content-Length` (§6.1, request smuggling).
struct StrictHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(StrictRequestHead(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Refuses a request head that RFC 9112 says a server must not act on; everything else passes untouched.
final class StrictRequestHead: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// After a refusal, the rest of the connection's input is dropped until it closes.
    private var refused = false

    static func problem(with head: HTTPRequestHead) -> String? {
        let hosts = head.headers["Host"]
        if hosts.count != 1 { return hosts.isEmpty ? "a request needs one Host header" : "a request may have only one Host header" }
        if hosts[0].isEmpty || hosts[0].contains(where: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "/" || $0 == "@" }) {
            return "the Host header is not a host"
        }
        if !head.uri.hasPrefix("/") && head.uri != "*" { return "the target must be a path starting with /" }
        let codings = head.headers["Transfer-Encoding"]
        if !codings.isEmpty {
            if codings.count != 1 || codings[0].lowercased().trimmingCharacters(in: .whitespaces) != "chunked" {
                return "unsupported Transfer-Encoding"
            }
            if !head.headers["Content-Length"].isEmpty { return "Transfer-Encoding and Content-Length together" }
        }
        if head.headers["Content-Length"].count > 1 { return "more than one Content-Length" }
        return nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }
        if case .head(let head) = unwrapInboundIn(data), let problem = Self.problem(with: head) {
            refused = true
            let body = "400 Bad Request: \(problem)\n"
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: String(body.utf8.count))
            headers.add(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if refused { promise?.succeed(); return }
        context.write(data, promise: promise)
    }
}
