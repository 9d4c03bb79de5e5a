import Foundation
import SiteBuild

/// What the preview server serves right now, shared between the rebuild loop and the request handlers.
/// A rebuild completes a site in a folder that is not being served; only then does `succeeded` switch to it,
/// so a request never sees a half-written site, and the open pages are told to reload after the switch.
actor PreviewState {
    /// The folder of the last good build.
    private(set) var folder: String?
    /// Counts good builds; pages carry the generation they were served from.
    private(set) var generation = 0
    /// The diagnostics of the last build when it failed; empty when it succeeded.
    private(set) var diagnostics: [Diagnostic] = []
    private var subscribers: [UUID: AsyncStream<String>.Continuation] = [:]

    var subscriberCount: Int { subscribers.count }

    /// Switches to a new good build and tells every page to reload.
    func succeeded(folder newFolder: String) {
        folder = newFolder
        generation += 1
        diagnostics = []
        broadcast(Self.event("reload", data: String(generation)))
    }

    /// Keeps serving the last good build and shows the errors on every open page.
    func failed(_ problems: [Diagnostic]) {
        diagnostics = problems
        broadcast(errorEvent)
    }

    /// A stream of Server-Sent Events for one page: first the current state, then every change.
    func subscribe() -> (UUID, AsyncStream<String>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(8))
        subscribers[id] = continuation
        continuation.yield(Self.event("hello", data: String(generation)))
        if !diagnostics.isEmpty { continuation.yield(errorEvent) }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    func finishAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    private var errorEvent: String {
        let lines = diagnostics.map { JSONText.string($0.description) }
        return Self.event("errors", data: "[" + lines.joined(separator: ",") + "]")
    }

    private func broadcast(_ event: String) {
        for continuation in subscribers.values { continuation.yield(event) }
    }

    static func event(_ name: String, data: String) -> String {
        "event: \(name)\ndata: \(data)\n\n"
    }
}
