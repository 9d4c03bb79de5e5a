import Foundation
import SiteBuild
import Synchronization

/// What the preview server serves right now, shared between the rebuild loop and the request handlers.
/// A rebuild completes a site in a folder that is not being served; only then does `succeeded` switch to it,
/// so a request never sees a half-written site, and the open pages are told to reload after the switch.
///
/// Each version of the site has a number, which every page served carries (`ReloadScript`): a page reloads
/// when told of a version that is not its own. Before a rebuild renders the rest of the site, the pages open
/// in a browser that it changed are shown at once (`showFirst`): they are served from memory with the number
/// the build will have, and their pages reload. When the build succeeds they are what it published, and only
/// the other pages reload; when it fails, those pages go back to the last good build.
final class PreviewState: Sendable {
    private struct Subscriber {
        var continuation: AsyncStream<String>.Continuation
        /// The output path of the page it was opened from (`a/index.html`), when the page said.
        var page: String?
    }

    private struct Inner {
        /// The folder of the last good build.
        var folder: String?
        /// The version of the last good build.
        var generation = 0
        /// The last version number given out.
        var issued = 0
        /// The diagnostics of the last build when it failed; empty when it succeeded.
        var diagnostics: [Diagnostic] = []
        var subscribers: [UUID: Subscriber] = [:]
        /// Pages of the build under way, shown before it ends, by output path, and that build's version.
        var early: [String: String] = [:]
        var earlyVersion = 0
    }

    private let inner = Mutex(Inner())

    var folder: String? { inner.withLock { $0.folder } }
    var generation: Int { inner.withLock { $0.generation } }
    var subscriberCount: Int { inner.withLock { $0.subscribers.count } }

    /// The page at `path` (an output path) as the build under way made it, with that build's version, if
    /// it was shown early.
    func earlyPage(_ path: String) -> (html: String, version: Int)? {
        inner.withLock { state in state.early[path].map { ($0, state.earlyVersion) } }
    }

    /// The output paths of the pages open in a browser.
    func openPages() -> Set<String> {
        inner.withLock { Set($0.subscribers.values.compactMap(\.page)) }
    }

    /// Shows the pages of the build under way that the open pages are (see the type's comment).
    func showFirst(_ pages: [String: String]) {
        inner.withLock { state in
            if state.early.isEmpty {
                state.issued += 1
                state.earlyVersion = state.issued
            }
            state.early.merge(pages) { _, new in new }
            Self.reload(state.subscribers, showing: pages, to: state.earlyVersion)
        }
    }

    /// Switches to a new good build and tells every page not already showing it to reload.
    func succeeded(folder newFolder: String) {
        inner.withLock { state in
            state.folder = newFolder
            if state.early.isEmpty {
                state.issued += 1
                state.generation = state.issued
            } else {
                state.generation = state.earlyVersion
                state.early = [:]
            }
            state.diagnostics = []
            Self.broadcast(Self.event("reload", data: String(state.generation)), to: state.subscribers)
        }
    }

    /// Keeps serving the last good build and shows the errors on every open page; the pages shown early
    /// go back to the last good build.
    func failed(_ problems: [Diagnostic]) {
        inner.withLock { state in
            state.diagnostics = problems
            if !state.early.isEmpty {
                Self.reload(state.subscribers, showing: state.early, to: state.generation)
                state.early = [:]
            }
            Self.broadcast(Self.errorEvent(problems), to: state.subscribers)
        }
    }

    /// A stream of Server-Sent Events for one page (`page`: its output path, when known): first the version
    /// that page should have, then the errors if the last build failed, then every change.
    func subscribe(page: String? = nil) -> (UUID, AsyncStream<String>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(8))
        inner.withLock { state in
            state.subscribers[id] = Subscriber(continuation: continuation, page: page)
            let version = page.flatMap { state.early[$0] != nil ? state.earlyVersion : nil } ?? state.generation
            continuation.yield(Self.event("hello", data: String(version)))
            if !state.diagnostics.isEmpty { continuation.yield(Self.errorEvent(state.diagnostics)) }
        }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        inner.withLock { $0.subscribers.removeValue(forKey: id) }?.continuation.finish()
    }

    func finishAll() {
        let subscribers = inner.withLock { state in
            defer { state.subscribers = [:] }
            return state.subscribers
        }
        for subscriber in subscribers.values { subscriber.continuation.finish() }
    }

    private static func errorEvent(_ diagnostics: [Diagnostic]) -> String {
        let lines = diagnostics.map { JSONText.string($0.description) }
        return event("errors", data: "[" + lines.joined(separator: ",") + "]")
    }

    /// Tells the streams of the open pages among `pages` (by output path) to reload to `version`.
    private static func reload(_ subscribers: [UUID: Subscriber], showing pages: [String: String], to version: Int) {
        for subscriber in subscribers.values where subscriber.page.map({ pages[$0] != nil }) == true {
            subscriber.continuation.yield(event("reload", data: String(version)))
        }
    }

    private static func broadcast(_ event: String, to subscribers: [UUID: Subscriber]) {
        for subscriber in subscribers.values { subscriber.continuation.yield(event) }
    }

    static func event(_ name: String, data: String) -> String {
        "event: \(name)\ndata: \(data)\n\n"
    }

    /// The output path a browser's `location.pathname` shows (`/a/` → `a/index.html`), or nil for one the
    /// server would refuse.
    static func outputPath(ofPage pathname: String) -> String? {
        guard let path = RequestPath.decode(pathname) else { return nil }
        let relative = String(path.dropFirst())
        return relative.isEmpty || relative.hasSuffix("/") ? relative + "index.html" : relative
    }
}
